package io.kapro.oci.testing;

import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.store.BundleStore;
import java.util.List;
import java.util.Optional;

/**
 * A store that hands every call to another; tests override the calls they make misbehave (a store
 * that dies midway, one that tampers with blobs, one that watches the order of writes).
 */
public abstract class ForwardingStore implements BundleStore {
  protected final BundleStore delegate;

  protected ForwardingStore(BundleStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public String location() {
    return delegate.location();
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
    return delegate.fetchBlob(repository, digest, maxBytes);
  }

  @Override
  public List<String> listTags(String repository) {
    return delegate.listTags(repository);
  }

  @Override
  public boolean hasBlob(String repository, String digest) {
    return delegate.hasBlob(repository, digest);
  }

  @Override
  public List<String> repositories() {
    return delegate.repositories();
  }
}
