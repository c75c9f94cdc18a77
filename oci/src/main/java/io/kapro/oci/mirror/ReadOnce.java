package io.kapro.oci.mirror;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.store.BundleStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only view of the source for one artifact that remembers every manifest and blob it has
 * read, so the bytes that are verified are exactly the bytes that are copied (a tag or blob that
 * changes at the source in between cannot slip through) and nothing is downloaded twice.
 */
final class ReadOnce implements BundleStore {
  private final BundleStore source;
  private final Map<String, byte[]> manifests = new HashMap<>();
  private final Map<String, byte[]> blobs = new HashMap<>();

  ReadOnce(BundleStore source) {
    this.source = source;
  }

  @Override
  public String location() {
    return source.location();
  }

  @Override
  public Optional<Descriptor> resolve(String repository, String reference) {
    return source.resolve(repository, reference);
  }

  @Override
  public byte[] fetchManifest(String repository, String reference, long maxBytes) {
    byte[] b =
        manifests.computeIfAbsent(
            repository + "\n" + reference,
            k -> source.fetchManifest(repository, reference, maxBytes));
    return bounded(b, maxBytes, "manifest " + repository + ":" + reference);
  }

  @Override
  public byte[] fetchBlob(String repository, String digest, long maxBytes) {
    byte[] b =
        blobs.computeIfAbsent(
            repository + "\n" + digest, k -> source.fetchBlob(repository, digest, maxBytes));
    return bounded(b, maxBytes, "blob " + digest + " in " + repository);
  }

  @Override
  public List<String> listTags(String repository) {
    return source.listTags(repository);
  }

  @Override
  public void putBlob(String repository, byte[] content) {
    throw readOnly();
  }

  @Override
  public void putManifest(String repository, String reference, byte[] manifest) {
    throw readOnly();
  }

  private byte[] bounded(byte[] b, long maxBytes, String what) {
    if (b.length > maxBytes) {
      throw new OciException(
          Reason.TOO_LARGE,
          location() + ": " + what + " is larger than the limit of " + maxBytes + " bytes");
    }
    return b;
  }

  private static IllegalStateException readOnly() {
    return new IllegalStateException("the mirror never writes to its source");
  }
}
