package io.kapro.oci.sign;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.BundleAnnotations;
import io.kapro.oci.bundle.CanonicalJson;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.MediaTypes;
import io.kapro.oci.bundle.OciManifest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cosign signature in the key-based legacy layout: an OCI image manifest, stored at tag {@code
 * sha256-<hex>.sig}, with an image config and one layer of type {@code
 * application/vnd.dev.cosign.simplesigning.v1+json} (the simple-signing payload) annotated with
 * {@code dev.cosignproject.cosign/signature} (base64 DER ECDSA) and Kapro's key id.
 *
 * @param config the config blob (an OCI image config whose rootfs lists the payload)
 * @param payload the simple-signing payload blob
 * @param manifest the signature manifest (canonical JSON)
 */
public record SignatureArtifact(byte[] config, byte[] payload, byte[] manifest) {

  /** Signs {@code manifestDigest} with {@code key}. */
  public static SignatureArtifact sign(
      SigningKey key, String dockerReference, String manifestDigest) {
    byte[] payload =
        SimpleSigning.payload(
            dockerReference, manifestDigest, Map.of(SimpleSigning.OPTIONAL_KEY_ID, key.keyId()));
    String signature = Base64.getEncoder().encodeToString(key.sign(payload));
    return assemble(payload, signature, key.keyId());
  }

  /** Puts a payload and a signature into the cosign layout (also used to build hostile tests). */
  public static SignatureArtifact assemble(byte[] payload, String signatureBase64, String keyId) {
    byte[] config = config(Digests.sha256(payload));
    Map<String, String> ann = new LinkedHashMap<>();
    ann.put(BundleAnnotations.COSIGN_SIGNATURE, signatureBase64);
    if (keyId != null) {
      ann.put(BundleAnnotations.KEY_ID, keyId);
    }
    OciManifest m =
        new OciManifest(
            null,
            Descriptor.of(MediaTypes.OCI_IMAGE_CONFIG, config),
            List.of(Descriptor.of(MediaTypes.COSIGN_SIMPLE_SIGNING, payload).withAnnotations(ann)),
            Map.of());
    return new SignatureArtifact(config, payload, m.toJson());
  }

  /** Digest of the signature manifest. */
  public String digest() {
    return Digests.sha256(manifest);
  }

  /**
   * The simple-signing layers of an untrusted signature manifest.
   *
   * @throws OciException {@code MALFORMED} when it has none
   */
  public static List<Descriptor> signatureLayers(OciManifest sigManifest) {
    List<Descriptor> layers =
        sigManifest.layers().stream()
            .filter(l -> MediaTypes.COSIGN_SIMPLE_SIGNING.equals(l.mediaType()))
            .filter(l -> l.annotations().containsKey(BundleAnnotations.COSIGN_SIGNATURE))
            .toList();
    if (layers.isEmpty()) {
      throw new OciException(
          Reason.MALFORMED,
          "signature manifest has no "
              + MediaTypes.COSIGN_SIMPLE_SIGNING
              + " layer with a "
              + BundleAnnotations.COSIGN_SIGNATURE
              + " annotation");
    }
    return layers;
  }

  private static byte[] config(String payloadDigest) {
    var root = CanonicalJson.object();
    root.put("architecture", "");
    root.putObject("config");
    root.put("created", "0001-01-01T00:00:00Z");
    root.putArray("history").addObject().put("created", "0001-01-01T00:00:00Z");
    root.put("os", "");
    var rootfs = root.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids").add(payloadDigest);
    return CanonicalJson.write(root);
  }
}
