package io.kapro.oci.verify;

import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.BundleStore;

/**
 * The cosign signature check on its own, for signed artifacts that are not bundles (evidence): the
 * signature at tag {@code sha256-<hex>.sig} must name {@code digest} and verify with a trusted key.
 */
public final class Signatures {
  private Signatures() {}

  /**
   * @return the id of the trusted key whose signature verified
   * @throws io.kapro.oci.OciException UNSIGNED, DIGEST_MISMATCH, UNTRUSTED_KEY, BAD_SIGNATURE,
   *     TOO_LARGE or MALFORMED (rejections), or an operational reason when it could not be read
   */
  public static String verify(
      BundleStore store, String repository, String digest, TrustedKeys keys, long maxManifest) {
    return SignatureCheck.verify(store, repository, digest, keys, maxManifest);
  }
}
