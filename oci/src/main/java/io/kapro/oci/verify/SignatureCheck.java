package io.kapro.oci.verify;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.BundleAnnotations;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.OciManifest;
import io.kapro.oci.sign.SignatureArtifact;
import io.kapro.oci.sign.SimpleSigning;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.BundleStore;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;

/** Finds and checks the cosign signature of a manifest digest against the trusted keys. */
final class SignatureCheck {
  static final long MAX_SIGNATURE_PAYLOAD = 64 * 1024;

  private SignatureCheck() {}

  /**
   * @return the key id that verified
   * @throws OciException UNSIGNED, DIGEST_MISMATCH, UNTRUSTED_KEY or BAD_SIGNATURE
   */
  static String verify(
      BundleStore store, String repository, String digest, TrustedKeys keys, long maxManifest) {
    String tag = BundleRepository.signatureTag(digest);
    if (store.resolve(repository, tag).isEmpty()) {
      throw new OciException(
          Reason.UNSIGNED,
          "bundle " + repository + "@" + digest + " has no signature (no tag " + tag + ")");
    }
    OciManifest sig = OciManifest.parse(store.fetchManifest(repository, tag, maxManifest));
    Reason worst = null;
    String detail = null;
    for (Descriptor layer : SignatureArtifact.signatureLayers(sig)) {
      if (layer.size() > MAX_SIGNATURE_PAYLOAD) {
        worst = rank(worst, Reason.TOO_LARGE);
        detail = "signature payload of " + layer.size() + " bytes exceeds " + MAX_SIGNATURE_PAYLOAD;
        continue;
      }
      byte[] payload = store.fetchBlob(repository, layer.digest(), MAX_SIGNATURE_PAYLOAD);
      if (!Digests.sha256(payload).equals(layer.digest())) {
        worst = rank(worst, Reason.BAD_SIGNATURE);
        detail = "signature payload does not match its digest " + layer.digest();
        continue;
      }
      String signed = SimpleSigning.signedDigest(payload);
      if (!signed.equals(digest)) {
        worst = rank(worst, Reason.DIGEST_MISMATCH);
        detail = "the signature at " + tag + " was made for " + signed + ", not for " + digest;
        continue;
      }
      byte[] der;
      try {
        der =
            Base64.getDecoder().decode(layer.annotations().get(BundleAnnotations.COSIGN_SIGNATURE));
      } catch (IllegalArgumentException e) {
        worst = rank(worst, Reason.BAD_SIGNATURE);
        detail = "the signature annotation is not base64";
        continue;
      }
      String keyId = layer.annotations().get(BundleAnnotations.KEY_ID);
      if (keyId != null) {
        PublicKey key = keys.get(keyId).orElse(null);
        if (key == null) {
          worst = rank(worst, Reason.UNTRUSTED_KEY);
          detail =
              "signed by key " + keyId + ", which is not among the trusted keys " + keys.keyIds();
        } else if (verifies(key, payload, der)) {
          return keyId;
        } else {
          worst = rank(worst, Reason.BAD_SIGNATURE);
          detail = "the signature does not verify with trusted key " + keyId;
        }
        continue;
      }
      for (Map.Entry<String, PublicKey> k : keys.entries()) {
        if (verifies(k.getValue(), payload, der)) {
          return k.getKey();
        }
      }
      worst = rank(worst, Reason.UNTRUSTED_KEY);
      detail =
          "the signature (without key id) verifies with none of the trusted keys " + keys.keyIds();
    }
    throw new OciException(worst, "bundle " + repository + "@" + digest + ": " + detail);
  }

  /** Keeps the most specific failure when a manifest carries several signatures. */
  private static Reason rank(Reason current, Reason next) {
    if (current == null) {
      return next;
    }
    java.util.List<Reason> order =
        java.util.List.of(
            Reason.UNTRUSTED_KEY, Reason.TOO_LARGE, Reason.BAD_SIGNATURE, Reason.DIGEST_MISMATCH);
    return order.indexOf(next) > order.indexOf(current) ? next : current;
  }

  private static boolean verifies(PublicKey key, byte[] data, byte[] der) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initVerify(key);
      s.update(data);
      return s.verify(der);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
