package io.kapro.oci.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.CanonicalJson;
import io.kapro.oci.bundle.Digests;
import java.io.IOException;
import java.util.Map;

/**
 * cosign's simple-signing payload: {@code
 * {"critical":{"identity":{"docker-reference":R},"image":{"docker-manifest-digest":D},"type":"cosign
 * container image signature"},"optional":{...}}}.
 */
public final class SimpleSigning {
  /** {@code critical.type} of cosign signatures. */
  public static final String TYPE = "cosign container image signature";

  /** Key of the signer's key id inside {@code optional}. */
  public static final String OPTIONAL_KEY_ID = "io.kapro.signature.keyid";

  private SimpleSigning() {}

  /** Canonical payload bytes for a manifest digest. */
  public static byte[] payload(
      String dockerReference, String manifestDigest, Map<String, String> optional) {
    ObjectNode root = CanonicalJson.object();
    ObjectNode critical = root.putObject("critical");
    critical.putObject("identity").put("docker-reference", dockerReference);
    critical
        .putObject("image")
        .put("docker-manifest-digest", Digests.requireSha256(manifestDigest, "manifest digest"));
    critical.put("type", TYPE);
    if (optional == null || optional.isEmpty()) {
      root.putNull("optional");
    } else {
      ObjectNode o = root.putObject("optional");
      optional.forEach(o::put);
    }
    return CanonicalJson.write(root);
  }

  /**
   * The {@code critical.image.docker-manifest-digest} of an untrusted payload.
   *
   * @throws OciException {@code MALFORMED} when the payload is not a cosign simple-signing payload
   */
  public static String signedDigest(byte[] payload) {
    JsonNode root;
    try {
      root = CanonicalJson.readStrict(payload);
    } catch (IOException e) {
      throw new OciException(Reason.MALFORMED, "signature payload is not well-formed JSON");
    }
    JsonNode critical = root.path("critical");
    if (!TYPE.equals(critical.path("type").asText(null))) {
      throw new OciException(
          Reason.MALFORMED, "signature payload critical.type is not '" + TYPE + "'");
    }
    String digest = critical.path("image").path("docker-manifest-digest").asText(null);
    if (!Digests.isSha256(digest)) {
      throw new OciException(
          Reason.MALFORMED, "signature payload critical.image.docker-manifest-digest is missing");
    }
    return digest;
  }
}
