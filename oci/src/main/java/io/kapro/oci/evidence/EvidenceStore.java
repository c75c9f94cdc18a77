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

  /**
   * The highest sequence the repository holds (the sequence annotation of its {@code latest} tag,
   * which only moves forward), 0 when it holds no evidence. A writer whose own numbering is at or
   * below it lost its state and continues above it.
   *
   * @throws OciException when {@code latest} exists but cannot be read, or names a sequence outside
   *     1..{@link io.kapro.oci.bundle.BundlePayload#MAX_SEQUENCE} (a hostile registry cannot push
   *     the numbering out of range)
   */
  public static long highestSequence(BundleStore store, String repository) {
    String latest = RepositoryKind.EVIDENCE.movingTag();
    if (store.resolve(repository, latest).isEmpty()) {
      return 0;
    }
    String s =
        OciManifest.parse(store.fetchManifest(repository, latest, 64 * 1024))
            .annotations()
            .get(EvidenceArtifact.SEQUENCE);
    long n;
    try {
      n = s == null ? -1 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 1 || n > io.kapro.oci.bundle.BundlePayload.MAX_SEQUENCE) {
      throw new OciException(
          OciException.Reason.MALFORMED,
          repository
              + ":"
              + latest
              + " has annotation "
              + EvidenceArtifact.SEQUENCE
              + "='"
              + s
              + "', not a sequence from 1 to "
              + io.kapro.oci.bundle.BundlePayload.MAX_SEQUENCE);
    }
    return n;
  }

  /** The digest of the payload layer of the artifact at {@code seq-<sequence>}, if any. */
  public static Optional<String> payloadDigestAt(
      BundleStore store, String repository, long sequence) {
    String tag = BundleRepository.sequenceTag(sequence);
    if (store.resolve(repository, tag).isEmpty()) {
      return Optional.empty();
    }
    return OciManifest.parse(store.fetchManifest(repository, tag, 64 * 1024)).layers().stream()
        .filter(d -> EvidenceArtifact.PAYLOAD_TYPE.equals(d.mediaType()))
        .map(Descriptor::digest)
        .findFirst();
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
