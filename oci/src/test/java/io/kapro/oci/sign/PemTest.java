package io.kapro.oci.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** {@link Pem}'s framing (RFC 7468), its bounds, and round trips of what it writes. */
class PemTest {
  private static final KeyPair PAIR = Csrs.newKeyPair();

  @Test
  void roundTripsKeysItWrites() {
    String priv = Pem.privateKeyPem(PAIR.getPrivate());
    assertThat(priv)
        .startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
    assertThat(priv.lines().skip(1).filter(l -> !l.startsWith("-----")))
        .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(64));
    KeyPair back = Pem.readKeyPair(priv, "k");
    assertThat(back.getPrivate()).isEqualTo(PAIR.getPrivate());
    assertThat(back.getPublic()).isEqualTo(PAIR.getPublic());
    assertThat(Pem.readPublicKeys(Pem.publicKeyPem(PAIR.getPublic()), "p"))
        .containsExactly(PAIR.getPublic());
    assertThat(Pem.readPrivateKey(priv, "k")).isEqualTo(PAIR.getPrivate());
    assertThat(Pem.readTls("", "empty").key()).isNull();
    assertThat(Pem.readTls(null, "empty").certificates()).isEmpty();
  }

  @Test
  void framingErrorsNameTheSourceAndTheLine() {
    String body = Pem.privateKeyPem(PAIR.getPrivate());
    String inner = body.substring(body.indexOf('\n') + 1, body.indexOf("-----END"));
    assertInvalid(
        "-----BEGIN PRIVATE KEY-----\n" + inner + "-----END PUBLIC KEY-----\n",
        "'BEGIN PRIVATE KEY' is closed by 'END PUBLIC KEY'");
    assertInvalid("-----BEGIN PRIVATE KEY-----\n" + inner, "'BEGIN PRIVATE KEY' has no END line");
    assertInvalid(
        "-----BEGIN PRIVATE KEY-----\n" + inner + "-----BEGIN PRIVATE KEY-----\n",
        "has no END line");
    assertInvalid("-----END PRIVATE KEY-----\n", "line 1: END line without a BEGIN line");
    assertInvalid("-----BEGIN PRIVATE KEY----\nAAAA\n-----END PRIVATE KEY-----\n", "malformed");
    assertInvalid("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n", "is empty");
    assertInvalid(
        "-----BEGIN PRIVATE KEY-----\nAA AA\n-----END PRIVATE KEY-----\n", "is not Base64");
    assertInvalid("-----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----\n", "is not Base64");
    // DER that is not a PrivateKeyInfo
    assertInvalid(
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getEncoder().encodeToString(new byte[] {0x30, 0x7f, 1})
            + "\n-----END PRIVATE KEY-----\n",
        "cannot decode the private key");
  }

  @Test
  void inputIsBoundedBeforeItIsParsed() {
    String big = "x".repeat(Pem.MAX_CHARS + 1);
    assertThatThrownBy(() -> Pem.readTls(big, "Secret a/b ca.crt"))
        .hasMessageContaining("Secret a/b ca.crt: PEM text of " + (Pem.MAX_CHARS + 1))
        .hasMessageContaining("the limit is " + Pem.MAX_CHARS);
    String cert = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    assertThatThrownBy(() -> Pem.readTls(cert.repeat(Pem.MAX_BLOCKS + 1), "ca.crt"))
        .hasMessageContaining("ca.crt: more than " + Pem.MAX_BLOCKS + " PEM blocks");
  }

  @Test
  void tlsMaterialRefusesAnythingButOneKeyAndCertificates() {
    String priv = Pem.privateKeyPem(PAIR.getPrivate());
    assertThatThrownBy(() -> Pem.readTls(priv + priv, "tls.key"))
        .hasMessageContaining("tls.key: unexpected PEM block 'PRIVATE KEY' (a second key")
        .hasMessageContaining("expected one unencrypted PKCS#8 'PRIVATE KEY' and 'CERTIFICATE'");
    assertThatThrownBy(() -> Pem.readTls(Pem.publicKeyPem(PAIR.getPublic()), "tls.crt"))
        .hasMessageContaining("tls.crt: unexpected PEM block 'PUBLIC KEY'");
    assertThatThrownBy(() -> Pem.readCertificates(priv, "ca.crt"))
        .hasMessageContaining("ca.crt: expected only CERTIFICATE PEM blocks, found a private key");
    assertThatThrownBy(() -> Pem.readCertificates("# nothing here\n", "ca.crt"))
        .hasMessageContaining("ca.crt: no CERTIFICATE PEM block found");
    assertThatThrownBy(
            () ->
                Pem.readTls(
                    "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "ca.crt"))
        .hasMessageContaining("ca.crt: cannot decode certificate 1");
  }

  @Test
  void aSec1KeyWhosePublicKeyIsNotItsOwnIsRefused() throws Exception {
    // SEC1 of PAIR's scalar with another key's public point
    java.security.interfaces.ECPrivateKey ec =
        (java.security.interfaces.ECPrivateKey) PAIR.getPrivate();
    java.security.interfaces.ECPublicKey other =
        (java.security.interfaces.ECPublicKey) Csrs.newKeyPair().getPublic();
    byte[] otherSpki = other.getEncoded();
    byte[] point = java.util.Arrays.copyOfRange(otherSpki, otherSpki.length - 65, otherSpki.length);
    byte[] scalar = new byte[32];
    byte[] s = ec.getS().toByteArray();
    int n = Math.min(32, s.length);
    System.arraycopy(s, s.length - n, scalar, 32 - n, n);
    byte[] sec1 =
        Der.sequence(
            Der.integer(java.math.BigInteger.ONE),
            Der.octetString(scalar),
            Der.contextConstructed(0, Der.oid("1.2.840.10045.3.1.7")),
            Der.contextConstructed(1, Der.bitString(point)));
    String pem =
        "-----BEGIN EC PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(sec1)
            + "\n-----END EC PRIVATE KEY-----\n";
    assertThatThrownBy(() -> Pem.readKeyPair(pem, "k.pem"))
        .hasMessageContaining(
            "k.pem: the public key in the 'EC PRIVATE KEY' block does not belong");
    // without the [1] public key it reads, and derives PAIR's public key
    byte[] bare =
        Der.sequence(
            Der.integer(java.math.BigInteger.ONE),
            Der.octetString(scalar),
            Der.contextConstructed(0, Der.oid("1.2.840.10045.3.1.7")));
    KeyPair back =
        Pem.readKeyPair(
            "-----BEGIN EC PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(bare)
                + "\n-----END EC PRIVATE KEY-----\n",
            "k.pem");
    assertThat(back.getPublic()).isEqualTo(PAIR.getPublic());
  }

  @Test
  void rsaKeysAreReadAsTlsMaterialButRefusedAsSigningKeys() throws Exception {
    var g = java.security.KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    PrivateKey rsa = g.generateKeyPair().getPrivate();
    assertThat(Pem.readPrivateKey(Pem.privateKeyPem(rsa), "rsa.key")).isEqualTo(rsa);
    assertThatThrownBy(() -> Pem.readKeyPair(Pem.privateKeyPem(rsa), "rsa.key"))
        .hasMessageContaining("rsa.key: key is RSA but must be ECDSA on curve P-256");
  }

  private static void assertInvalid(String pem, String message) {
    assertThatThrownBy(() -> Pem.readTls(pem, "src.pem"))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT))
        .hasMessageStartingWith("src.pem: ")
        .hasMessageContaining(message);
  }
}
