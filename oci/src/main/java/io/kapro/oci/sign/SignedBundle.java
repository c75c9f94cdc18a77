package io.kapro.oci.sign;

import io.kapro.oci.bundle.BundleArtifact;
import io.kapro.oci.bundle.BundlePayload;

/**
 * A bundle with its cosign signature, ready to put into a store.
 *
 * @param bundle the bundle content (layer, manifest, digest)
 * @param signature the signature manifest and blobs for {@code bundle.digest()}
 */
public record SignedBundle(BundleArtifact bundle, SignatureArtifact signature) {

  /**
   * Builds and signs the bundle for a payload.
   *
   * @param dockerReference {@code critical.identity.docker-reference} of the simple-signing
   *     payload, normally {@code <registry>/<repository>} (cosign itself ignores it when verifying)
   */
  public static SignedBundle sign(BundlePayload payload, SigningKey key, String dockerReference) {
    BundleArtifact a = BundleArtifact.of(payload);
    return new SignedBundle(a, SignatureArtifact.sign(key, dockerReference, a.digest()));
  }

  public String digest() {
    return bundle.digest();
  }

  public BundlePayload payload() {
    return bundle.payload();
  }
}
