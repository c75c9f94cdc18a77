package io.kapro.oci.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.OciException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Pem} and {@link Csrs} against what others write and read: keys and certificates made by
 * the {@code openssl} command (SEC1 and PKCS#8, with and without the public key, encrypted, chains,
 * {@code -text} output around the PEM), our output read and verified by {@code openssl}, and
 * cosign's own key test data ({@code src/test/resources/sign/cosign/SOURCE.md}).
 */
class PemOpensslTest {
  @TempDir Path dir;

  // --- openssl writes, Pem reads ---

  @Test
  void sec1KeyFromEcparamWithItsParametersBlockAndPublicKey() throws Exception {
    Path key = dir.resolve("ecparam.pem");
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", key.toString());
    assertThat(Files.readString(key)).contains("-----BEGIN EC PARAMETERS-----");
    assertKeyIsOpensslsPublicKey(Files.readString(key), key);
  }

  @Test
  void sec1KeyWithoutPublicKeyHasItDerived() throws Exception {
    Path full = dir.resolve("full.pem");
    Path bare = dir.resolve("bare.pem");
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", full.toString());
    openssl("ec", "-in", full.toString(), "-no_public", "-out", bare.toString());
    assertThat(openssl("asn1parse", "-in", bare.toString())).doesNotContain("BIT STRING");
    assertKeyIsOpensslsPublicKey(Files.readString(bare), full);
  }

  @Test
  void pkcs8KeyFromGenpkeyWithAndWithoutPublicKey() throws Exception {
    Path key = dir.resolve("genpkey.pem");
    openssl(
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        key.toString());
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertKeyIsOpensslsPublicKey(Files.readString(key), key);
    assertThat(Pem.readPrivateKey(Files.readString(key), "genpkey.pem").getAlgorithm())
        .isEqualTo("EC");

    Path bare = dir.resolve("bare.pem");
    Path bare8 = dir.resolve("bare8.pem");
    openssl("ec", "-in", key.toString(), "-no_public", "-out", bare.toString());
    openssl("pkcs8", "-topk8", "-nocrypt", "-in", bare.toString(), "-out", bare8.toString());
    assertThat(Files.readString(bare8)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertKeyIsOpensslsPublicKey(Files.readString(bare8), key);
  }

  @Test
  void encryptedKeysFromOpensslAreRefusedNamingTheFix() throws Exception {
    Path key = dir.resolve("k.pem");
    Path enc8 = dir.resolve("enc8.pem");
    Path encSec1 = dir.resolve("enc-sec1.pem");
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
    openssl(
        "pkcs8", "-topk8", "-in", key.toString(), "-passout", "pass:x", "-out", enc8.toString());
    openssl(
        "ec", "-in", key.toString(), "-aes256", "-passout", "pass:x", "-out", encSec1.toString());
    assertThat(Files.readString(encSec1)).contains("Proc-Type: 4,ENCRYPTED");
    for (Path p : List.of(enc8, encSec1)) {
      assertThatThrownBy(() -> Pem.readKeyPair(Files.readString(p), p.toString()))
          .isInstanceOf(OciException.class)
          .hasMessageContaining(p.toString())
          .hasMessageContaining("encrypted")
          .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }
    assertThatThrownBy(() -> Pem.readTls(Files.readString(enc8), "tls.key"))
        .hasMessageContaining("tls.key: unexpected PEM block 'ENCRYPTED PRIVATE KEY'");
  }

  @Test
  void otherCurvesFromOpensslAreRefused() throws Exception {
    Path key = dir.resolve("p384.pem");
    openssl("ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", key.toString());
    assertThatThrownBy(() -> Pem.readKeyPair(Files.readString(key), "p384.pem"))
        .hasMessageContaining("p384.pem: key is EC but must be ECDSA on curve P-256");
    Path pub = dir.resolve("p384.pub");
    openssl("ec", "-in", key.toString(), "-pubout", "-out", pub.toString());
    assertThatThrownBy(() -> Pem.readPublicKeys(Files.readString(pub), "p384.pub"))
        .hasMessageContaining("P-256");
  }

  @Test
  void selfSignedCertificateAndKeyFromOpensslReq() throws Exception {
    Path key = dir.resolve("tls.key");
    Path crt = dir.resolve("tls.crt");
    req(key, crt, "/O=acme/CN=gateway.example");
    Pem.TlsMaterial m =
        Pem.readTls(Files.readString(key) + Files.readString(crt), "openssl req output");
    assertThat(m.key()).isNotNull();
    assertThat(m.certificates()).hasSize(1);
    X509Certificate c = m.certificates().get(0);
    assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=gateway.example,O=acme");
    c.verify(c.getPublicKey());
    // the key is the certificate's: what we sign, the certificate's key verifies
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(m.key());
    s.update(new byte[] {1, 2, 3});
    byte[] sig = s.sign();
    s.initVerify(c.getPublicKey());
    s.update(new byte[] {1, 2, 3});
    assertThat(s.verify(sig)).isTrue();
  }

  @Test
  void chainIssuedByOpensslX509InOrderWithTextAroundTheBlocks() throws Exception {
    Path caKey = dir.resolve("ca.key");
    Path caCrt = dir.resolve("ca.crt");
    req(caKey, caCrt, "/CN=test CA");
    Path leafKey = dir.resolve("leaf.key");
    Path leafCsr = dir.resolve("leaf.csr");
    Path leafCrt = dir.resolve("leaf.crt");
    openssl(
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        leafKey.toString(),
        "-out",
        leafCsr.toString(),
        "-subj",
        "/CN=leaf");
    openssl(
        "x509",
        "-req",
        "-in",
        leafCsr.toString(),
        "-CA",
        caCrt.toString(),
        "-CAkey",
        caKey.toString(),
        "-CAcreateserial",
        "-days",
        "1",
        "-out",
        leafCrt.toString());
    // 'openssl x509 -text' puts a readable dump before each block, as CA bundles often carry
    String bundle =
        openssl("x509", "-in", leafCrt.toString(), "-text")
            + "# the issuing CA\n"
            + openssl("x509", "-in", caCrt.toString(), "-text");
    List<X509Certificate> chain = Pem.readCertificates(bundle, "chain.pem");
    assertThat(chain)
        .extracting(c -> c.getSubjectX500Principal().getName())
        .containsExactly("CN=leaf", "CN=test CA");
    chain.get(0).verify(chain.get(1).getPublicKey());
    // and the same chain with CRLF line ends
    assertThat(Pem.readCertificates(bundle.replace("\n", "\r\n"), "chain.pem")).hasSize(2);
  }

  // --- Pem and Csrs write, openssl reads ---

  @Test
  void ourKeysAreReadByOpensslAndMatchTheirPublicHalf() throws Exception {
    KeyPair pair = Csrs.newKeyPair();
    Path priv = write("ours.key", Pem.privateKeyPem(pair.getPrivate()));
    Path pub = write("ours.pub", Pem.publicKeyPem(pair.getPublic()));
    openssl("pkey", "-in", priv.toString(), "-check", "-noout");
    openssl("pkey", "-pubin", "-in", pub.toString(), "-noout");
    // openssl derives the same public key PEM, byte for byte
    assertThat(openssl("pkey", "-in", priv.toString(), "-pubout")).isEqualTo(Files.readString(pub));
    // a signature we make verifies with openssl
    Path data = write("data.txt", "kapro");
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(pair.getPrivate());
    s.update("kapro".getBytes(StandardCharsets.UTF_8));
    Path sig = dir.resolve("data.sig");
    Files.write(sig, s.sign());
    assertThat(
            openssl(
                "dgst",
                "-sha256",
                "-verify",
                pub.toString(),
                "-signature",
                sig.toString(),
                data.toString()))
        .contains("Verified OK");
  }

  @Test
  void ourCertificatesAreReadByOpenssl() throws Exception {
    Path key = dir.resolve("tls.key");
    Path crt = dir.resolve("tls.crt");
    req(key, crt, "/CN=round trip");
    Pem.TlsMaterial m = Pem.readTls(Files.readString(key) + Files.readString(crt), "in");
    Path out = write("out.pem", Pem.keyAndCertificates(m.key(), m.certificates()));
    assertThat(openssl("x509", "-in", out.toString(), "-noout", "-subject"))
        .contains("CN = round trip");
    assertThat(openssl("x509", "-in", out.toString(), "-noout", "-fingerprint", "-sha256"))
        .isEqualTo(openssl("x509", "-in", crt.toString(), "-noout", "-fingerprint", "-sha256"));
    openssl("pkey", "-in", out.toString(), "-check", "-noout");
  }

  @Test
  void ourCsrVerifiesWithOpensslAndNamesTheAgent() throws Exception {
    KeyPair pair = Csrs.newKeyPair();
    Path csr = dir.resolve("agent.csr");
    Files.write(csr, Csrs.csr(pair));
    String out =
        openssl("req", "-inform", "DER", "-in", csr.toString(), "-verify", "-noout", "-subject");
    assertThat(out).contains("verify OK").contains("subject=CN = kapro-agent");
    // the key in the request is the pair's
    Path pub = dir.resolve("csr.pub");
    openssl(
        "req",
        "-inform",
        "DER",
        "-in",
        csr.toString(),
        "-noout",
        "-pubkey",
        "-out",
        pub.toString());
    assertThat(Files.readString(pub)).isEqualTo(Pem.publicKeyPem(pair.getPublic()));
    // openssl can issue a certificate for it
    Path caKey = dir.resolve("ca.key");
    Path caCrt = dir.resolve("ca.crt");
    req(caKey, caCrt, "/CN=test CA");
    openssl(
        "x509",
        "-req",
        "-inform",
        "DER",
        "-in",
        csr.toString(),
        "-CA",
        caCrt.toString(),
        "-CAkey",
        caKey.toString(),
        "-CAcreateserial",
        "-days",
        "1",
        "-out",
        dir.resolve("agent.crt").toString());
    X509Certificate issued =
        Pem.readCertificates(Files.readString(dir.resolve("agent.crt")), "agent.crt").get(0);
    assertThat(issued.getPublicKey()).isEqualTo(pair.getPublic());
  }

  @Test
  void aCsrSignedByAnotherKeyFailsOpensslsVerification() throws Exception {
    KeyPair pair = Csrs.newKeyPair();
    Path csr = dir.resolve("forged.csr");
    Files.write(csr, Csrs.csr(pair, Csrs.newKeyPair().getPrivate(), "SHA256withECDSA"));
    // openssl 3.0 reports the failure but exits 0, so the text is what is checked
    Result r = run("req", "-inform", "DER", "-in", csr.toString(), "-verify", "-noout");
    assertThat(r.out()).contains("self-signature verify failure").doesNotContain("verify OK");
  }

  // --- cosign's key test data ---

  @ParameterizedTest
  @ValueSource(strings = {"validecp256.key", "validecpkcs8.key"})
  void cosignP256KeysAreRead(String name) throws Exception {
    Path key = resource(name);
    assertKeyIsOpensslsPublicKey(Files.readString(key), key);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"validecp384.key", "invalidecp224.key", "invalidecunsupported.key", "ed25519.key"})
  void cosignKeysOnOtherCurvesOrAlgorithmsAreRefused(String name) throws Exception {
    String text = Files.readString(resource(name));
    assertThatThrownBy(() -> Pem.readKeyPair(text, name))
        .isInstanceOf(OciException.class)
        .hasMessageStartingWith(name + ": ")
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .containsAnyOf(
                        "must be ECDSA on curve P-256", "cannot decode the private key"));
  }

  @Test
  void cosignsEncryptedKeyFileIsRefusedNamingTheFix() throws Exception {
    String text = Files.readString(resource("pemsigstorekey.key"));
    assertThatThrownBy(() -> Pem.readKeyPair(text, "cosign.key"))
        .hasMessageContaining("cosign.key: the private key is encrypted")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }

  // --- helpers ---

  /** The pair read from {@code pem} has the public key openssl derives from {@code keyFile}. */
  private void assertKeyIsOpensslsPublicKey(String pem, Path keyFile) throws Exception {
    KeyPair pair = Pem.readKeyPair(pem, keyFile.toString());
    String opensslPub = openssl("pkey", "-in", keyFile.toString(), "-pubout");
    PublicKey expected = Pem.readPublicKeys(opensslPub, "openssl -pubout").get(0);
    assertThat(pair.getPublic()).isEqualTo(expected);
    assertThat(Pem.publicKeyPem(pair.getPublic())).isEqualTo(opensslPub);
    // and openssl verifies what the private key signs
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(pair.getPrivate());
    s.update(new byte[] {42});
    Path sig = dir.resolve("probe.sig");
    Files.write(sig, s.sign());
    Path data = dir.resolve("probe.bin");
    Files.write(data, new byte[] {42});
    Path pub = write("probe.pub", opensslPub);
    assertThat(
            openssl(
                "dgst",
                "-sha256",
                "-verify",
                pub.toString(),
                "-signature",
                sig.toString(),
                data.toString()))
        .contains("Verified OK");
  }

  private void req(Path key, Path crt, String subject) throws Exception {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        key.toString(),
        "-out",
        crt.toString(),
        "-subj",
        subject,
        "-days",
        "1");
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static Path resource(String name) throws Exception {
    return Path.of(PemOpensslTest.class.getResource("/sign/cosign/" + name).toURI());
  }

  record Result(int code, String out) {}

  /** openssl's output (stdout and stderr); fails the test when it exits non-zero. */
  private String openssl(String... args) throws Exception {
    Result r = run(args);
    assertThat(r.code()).as("openssl %s: %s", Arrays.toString(args), r.out()).isZero();
    return r.out();
  }

  private Result run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add("openssl");
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("openssl " + Arrays.toString(args) + " did not finish");
    }
    return new Result(p.exitValue(), out);
  }
}
