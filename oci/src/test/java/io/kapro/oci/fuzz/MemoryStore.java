package io.kapro.oci.fuzz;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.MediaTypes;
import io.kapro.oci.store.BundleStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory store that serves whatever it is given, as a hostile mirror would: blobs may be
 * served under a digest they do not hash to. It records the largest read limit callers asked for,
 * so a fuzz test can check that no read was unbounded.
 */
final class MemoryStore implements BundleStore {
  private final Map<String, byte[]> manifests = new HashMap<>();
  private final Map<String, byte[]> blobs = new HashMap<>();
  private long largestLimit;

  @Override
  public String location() {
    return "memory:";
  }

  @Override
  public void putBlob(String repository, byte[] content) {
    blobs.put(repository + "@" + Digests.sha256(content), content.clone());
  }

  /** Serves {@code content} for {@code digest}, whether or not it hashes to it. */
  void forceBlob(String repository, String digest, byte[] content) {
    blobs.put(repository + "@" + digest, content.clone());
  }

  @Override
  public void putManifest(String repository, String reference, byte[] manifest) {
    manifests.put(repository + ":" + reference, manifest.clone());
    manifests.put(repository + ":" + Digests.sha256(manifest), manifest.clone());
  }

  void removeManifest(String repository, String reference) {
    manifests.remove(repository + ":" + reference);
  }

  @Override
  public Optional<Descriptor> resolve(String repository, String reference) {
    byte[] m = manifests.get(repository + ":" + reference);
    return m == null ? Optional.empty() : Optional.of(Descriptor.of(MediaTypes.OCI_MANIFEST, m));
  }

  @Override
  public byte[] fetchManifest(String repository, String reference, long maxBytes) {
    return bounded(manifests.get(repository + ":" + reference), reference, maxBytes);
  }

  @Override
  public byte[] fetchBlob(String repository, String digest, long maxBytes) {
    return bounded(blobs.get(repository + "@" + digest), digest, maxBytes);
  }

  private byte[] bounded(byte[] content, String what, long maxBytes) {
    largestLimit = Math.max(largestLimit, maxBytes);
    if (content == null) {
      throw new OciException(Reason.NOT_FOUND, "memory: " + what + " not found");
    }
    if (content.length > maxBytes) {
      throw new OciException(Reason.TOO_LARGE, what + " is larger than " + maxBytes + " bytes");
    }
    return content.clone();
  }

  long largestLimit() {
    return largestLimit;
  }

  @Override
  public List<String> listTags(String repository) {
    List<String> tags = new ArrayList<>();
    manifests.keySet().stream()
        .filter(k -> k.startsWith(repository + ":") && !k.contains("@"))
        .forEach(k -> tags.add(k.substring(repository.length() + 1)));
    return tags;
  }
}
