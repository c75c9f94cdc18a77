package io.kapro.oci.testing;

import io.kapro.oci.store.BundleStore;
import java.util.Map;

/**
 * A view of a store as a man in the middle (a hostile mirror, a plain-HTTP path) would serve it:
 * chosen blobs come back with other content. Registries refuse to store a blob under the wrong
 * digest, so this is how a tampered layer reaches an agent.
 */
public final class TamperingStore extends ForwardingStore {
  private final Map<String, byte[]> replacedBlobs;

  public TamperingStore(BundleStore delegate, Map<String, byte[]> replacedBlobs) {
    super(delegate);
    this.replacedBlobs = Map.copyOf(replacedBlobs);
  }

  @Override
  public String location() {
    return "tampered:" + delegate.location();
  }

  @Override
  public byte[] fetchBlob(String repository, String digest, long maxBytes) {
    byte[] replaced = replacedBlobs.get(digest);
    return replaced != null ? replaced.clone() : delegate.fetchBlob(repository, digest, maxBytes);
  }

  @Override
  public boolean hasBlob(String repository, String digest) {
    return replacedBlobs.containsKey(digest) || delegate.hasBlob(repository, digest);
  }
}
