package io.kapro.oci.mirror;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.OciManifest;
import io.kapro.oci.evidence.EvidenceVerifier;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.verify.BundleVerifier;
import io.kapro.oci.verify.Signatures;

/**
 * How the mirror verifies one artifact before carrying it; rejections are {@link OciException}s.
 */
interface ArtifactCheck {
  /**
   * @return the artifact's sequence, or -1 when it has none
   */
  long verify(BundleStore view, String repository, String digest);

  /** Bundles: {@link BundleVerifier#forTransfer} (signature, digests, shape, annotations). */
  static ArtifactCheck bundles(TrustedKeys keys, long maxManifest, long maxPayload) {
    BundleVerifier v =
        BundleVerifier.forTransfer(keys)
            .maxManifestBytes(maxManifest)
            .maxPayloadBytes(maxPayload)
            .build();
    return (view, repository, digest) -> v.verify(view, repository, digest, 0).payload().sequence();
  }

  /**
   * Other signed artifacts (evidence): the manifest hashes to its digest, is an OCI manifest, and
   * its cosign signature verifies with one of {@code keys}. Blob digests are checked while copying.
   */
  static ArtifactCheck signed(TrustedKeys keys, long maxManifest) {
    return (view, repository, digest) -> {
      byte[] manifest = view.fetchManifest(repository, digest, maxManifest);
      if (!Digests.sha256(manifest).equals(digest)) {
        throw new OciException(
            Reason.DIGEST_MISMATCH,
            "artifact "
                + repository
                + "@"
                + digest
                + ": manifest content hashes to "
                + Digests.sha256(manifest));
      }
      OciManifest.parse(manifest);
      Signatures.verify(view, repository, digest, keys, maxManifest);
      return -1;
    };
  }

  /** Kapro evidence artifacts: {@link EvidenceVerifier} (hub CA, cluster binding, signature). */
  static ArtifactCheck evidence(EvidenceVerifier verifier) {
    return (view, repository, digest) -> verifier.verify(view, repository, digest).sequence();
  }
}
