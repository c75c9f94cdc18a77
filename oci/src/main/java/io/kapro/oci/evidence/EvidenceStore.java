package io.kapro.oci.evidence;

import io.kapro.oci.OciException;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.MediaTypes;
import io.kapro.oci.bundle.OciManifest;
import io.kapro.oci.mirror.RepositoryKind;
import io.kapro.oci.store.BundleStore;
import java.util.Optional;

/** Writes evidence artifacts to a store in the order readers rely on. */
public final class EvidenceStore {
  private EvidenceStore() {}

  /**
   * Puts an artifact: blobs, the manifest by digest, the signature (blobs, then the {@code .sig}
   * manifest), {@code seq-<n>}, and last {@code latest} — only forward (when {@code latest} is
   * absent or names a lower sequence). Idempotent: putting the same artifact again rewrites the
   * same bytes.
   *
   * @return the manifest digest
   */
  public static String put(BundleStore store, String repository, EvidenceArtifact artifact) {
    BundleRepository.requireRepository(repository);
    store.putBlob(repository, MediaTypes.EMPTY_CONFIG);
    store.putBlob(repository, artifact.payload());
    store.putBlob(repository, artifact.certificates());
    String digest = artifact.digest();
    store.putManifest(repository, digest, artifact.manifest());
    store.putBlob(repository, artifact.signature().config());
    store.putBlob(repository, artifact.signature().payload());
    store.putManifest(
        repository, BundleRepository.signatureTag(digest), artifact.signature().manifest());
    store.putManifest(repository, artifact.sequenceTag(), artifact.manifest());
    String latest = RepositoryKind.EVIDENCE.movingTag();
    if (latestSequence(store, repository) < artifact.sequence()) {
      store.putManifest(repository, latest, artifact.manifest());
    }
    return digest;
  }

  /** The digest {@code seq-<sequence>} names in the repository, if any. */
  public static Optional<String> atSequence(BundleStore store, String repository, long sequence) {
    return store
        .resolve(repository, BundleRepository.sequenceTag(sequence))
        .map(Descriptor::digest);
  }

  private static long latestSequence(BundleStore store, String repository) {
    String latest = RepositoryKind.EVIDENCE.movingTag();
    if (store.resolve(repository, latest).isEmpty()) {
      return Long.MIN_VALUE;
    }
    try {
      String s =
          OciManifest.parse(store.fetchManifest(repository, latest, 64 * 1024))
              .annotations()
              .get(EvidenceArtifact.SEQUENCE);
      return s == null ? Long.MIN_VALUE : Long.parseLong(s);
    } catch (OciException | NumberFormatException e) {
      return Long.MIN_VALUE;
    }
  }
}
