package io.kapro.oci.sign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kapro.oci.store.OciLayoutStore;
import io.kapro.oci.testing.TestBundles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stored signature follows cosign's key-based legacy layout (specs/SIGNATURE_SPEC.md in
 * sigstore/cosign) and verifies with plain JCA from the public key PEM alone.
 */
class CosignFormatTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void storedSignatureMatchesCosignLayoutAndVerifiesWithPlainJca(@TempDir Path dir)
      throws Exception {
    SigningKey key = SigningKey.generate();
    String repo = "kapro/team-a/edge-1";
    SignedBundle bundle =
        SignedBundle.sign(
            TestBundles.payload("team-a", "edge-1", 1, Instant.now(), Duration.ofHours(1)),
            key,
            "registry.example/" + repo);
    try (OciLayoutStore store = OciLayoutStore.directory(dir)) {
      store.put(repo, bundle);
    }
    Path layout = dir.resolve(repo);
    String manifestHex = bundle.digest().substring("sha256:".length());

    // find the signature manifest through index.json, by cosign's tag convention
    JsonNode index = JSON.readTree(Files.readAllBytes(layout.resolve("index.json")));
    String sigTag = "sha256-" + manifestHex + ".sig";
    String sigDigest = null;
    for (JsonNode m : index.get("manifests")) {
      if (sigTag.equals(m.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
        sigDigest = m.get("digest").asText();
      }
    }
    assertThat(sigDigest).as("index.json entry for tag " + sigTag).isNotNull();
    JsonNode sig = JSON.readTree(blob(layout, sigDigest));

    assertThat(sig.get("schemaVersion").asInt()).isEqualTo(2);
    assertThat(sig.get("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(sig.at("/config/mediaType").asText())
        .isEqualTo("application/vnd.oci.image.config.v1+json");
    assertThat(sig.get("layers")).hasSize(1);
    JsonNode layer = sig.get("layers").get(0);
    assertThat(layer.get("mediaType").asText())
        .isEqualTo("application/vnd.dev.cosign.simplesigning.v1+json");
    String signatureB64 = layer.at("/annotations/dev.cosignproject.cosign~1signature").asText();
    assertThat(signatureB64).isNotEmpty();

    byte[] payload = blob(layout, layer.get("digest").asText());
    assertThat((long) payload.length).isEqualTo(layer.get("size").asLong());
    JsonNode simple = JSON.readTree(payload);
    assertThat(simple.at("/critical/type").asText()).isEqualTo("cosign container image signature");
    assertThat(simple.at("/critical/image/docker-manifest-digest").asText())
        .isEqualTo(bundle.digest());
    assertThat(simple.at("/critical/identity/docker-reference").asText())
        .isEqualTo("registry.example/" + repo);
    assertThat(simple.has("optional")).isTrue();

    JsonNode config = JSON.readTree(blob(layout, sig.at("/config/digest").asText()));
    assertThat(config.at("/rootfs/diff_ids/0").asText())
        .isEqualTo(sig.at("/layers/0/digest").asText());

    // verify with the JDK alone, from the PEM text cosign would be given (cosign verify --key)
    String pem = key.publicKeyPem();
    String body =
        pem.replace("-----BEGIN PUBLIC KEY-----", "")
            .replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
    PublicKey pub =
        KeyFactory.getInstance("EC")
            .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(pub);
    verifier.update(payload);
    assertThat(verifier.verify(Base64.getDecoder().decode(signatureB64))).isTrue();

    // and the manifest digest the signature names is the bundle manifest on disk
    byte[] manifest = blob(layout, bundle.digest());
    assertThat(
            "sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(manifest)))
        .isEqualTo(bundle.digest());
    // a different payload does not verify
    verifier.initVerify(pub);
    verifier.update(
        new String(payload, StandardCharsets.UTF_8)
            .replace(manifestHex, "0".repeat(64))
            .getBytes(StandardCharsets.UTF_8));
    assertThat(verifier.verify(Base64.getDecoder().decode(signatureB64))).isFalse();
  }

  private static byte[] blob(Path layout, String digest) throws Exception {
    return Files.readAllBytes(
        layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())));
  }
}
