package io.kapro.oci.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SigningKeyTest {
  @Test
  void pemRoundTripKeepsKeyAndId() {
    SigningKey k = SigningKey.generate();
    assertThat(k.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(k.publicKeyPem()).startsWith("-----BEGIN PUBLIC KEY-----");
    SigningKey back = SigningKey.fromPem(k.privateKeyPem(), "test");
    assertThat(back.keyId()).isEqualTo(k.keyId());
    assertThat(back.publicKey().getEncoded()).isEqualTo(k.publicKey().getEncoded());
    TrustedKeys trusted = TrustedKeys.fromPem(k.publicKeyPem(), "pub");
    assertThat(trusted.keyIds()).containsExactly(k.keyId());
  }

  @Test
  void keyIdIsSha256OfPublicKeyDer() throws Exception {
    SigningKey k = SigningKey.generate();
    String expected =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(k.publicKey().getEncoded()));
    assertThat(k.keyId()).isEqualTo(expected).hasSize(64);
  }

  @Test
  void severalPublicKeysInOneFileForRotation() {
    SigningKey a = SigningKey.generate();
    SigningKey b = SigningKey.generate();
    TrustedKeys t = TrustedKeys.fromPem(a.publicKeyPem() + b.publicKeyPem(), "keys.pem");
    assertThat(t.keyIds()).containsExactlyInAnyOrder(a.keyId(), b.keyId());
  }

  @Test
  void hostileKeyInputIsRefusedWithAClearMessage() throws Exception {
    assertThatThrownBy(() -> SigningKey.fromPem("", "Secret kapro/signing"))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT))
        .hasMessageContaining("Secret kapro/signing");
    assertThatThrownBy(
            () ->
                SigningKey.fromPem(
                    "-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED COSIGN PRIVATE KEY-----\n",
                    "cosign.key"))
        .hasMessageContaining("encrypted");
    assertThatThrownBy(
            () ->
                SigningKey.fromPem(
                    "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n", "x"))
        .isInstanceOf(OciException.class);
    var rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    String rsaPem = io.kapro.oci.sign.Pem.privateKeyPem(rsa.generateKeyPair().getPrivate());
    assertThatThrownBy(() -> SigningKey.fromPem(rsaPem, "rsa.key")).hasMessageContaining("P-256");
    var ec384 = KeyPairGenerator.getInstance("EC");
    ec384.initialize(384);
    String p384 = io.kapro.oci.sign.Pem.publicKeyPem(ec384.generateKeyPair().getPublic());
    assertThatThrownBy(() -> TrustedKeys.fromPem(p384, "p384.pub")).hasMessageContaining("P-256");
    assertThatThrownBy(
            () -> TrustedKeys.fromPem(SigningKey.generate().privateKeyPem(), "wrong.pem"))
        .hasMessageContaining("PUBLIC KEY");
  }
}
