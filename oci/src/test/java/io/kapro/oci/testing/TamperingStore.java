package io.kapro.oci.testing;

import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.store.BundleStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A view of a store as a man in the middle (a hostile mirror, a plain-HTTP path) would serve it:
 * chosen blobs come back with other content. Registries refuse to store a blob under the wrong
 * digest, so this is how a tampered layer reaches an agent.
 */
public final class TamperingStore implements BundleStore {
  private final BundleStore delegate;
  private final Map<String, byte[]> replacedBlobs;

  public TamperingStore(BundleStore delegate, Map<String, byte[]> replacedBlobs) {
    this.delegate = delegate;
    this.replacedBlobs = Map.copyOf(replacedBlobs);
  }

  @Override
  public String location() {
    return "tampered:" + delegate.location();
  }

  @Override
  public void putBlob(String repository, byte[] content) {
    delegate.putBlob(repository, content);
  }

  @Override
  public void putManifest(String repository, String reference, byte[] manifest) {
    delegate.putManifest(repository, reference, manifest);
  }

  @Override
  public Optional<Descriptor> resolve(String repository, String reference) {
    return delegate.resolve(repository, reference);
  }

  @Override
  public byte[] fetchManifest(String repository, String reference, long maxBytes) {
    return delegate.fetchManifest(repository, reference, maxBytes);
  }

  @Override
  public byte[] fetchBlob(String repository, String digest, long maxBytes) {
    byte[] replaced = replacedBlobs.get(digest);
    return replaced != null ? replaced.clone() : delegate.fetchBlob(repository, digest, maxBytes);
  }

  @Override
  public List<String> listTags(String repository) {
    return delegate.listTags(repository);
  }
}
