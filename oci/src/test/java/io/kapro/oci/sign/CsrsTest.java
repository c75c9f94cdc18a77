package io.kapro.oci.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

/**
 * The PKCS#10 requests {@link Csrs} writes on the JDK alone, read by BouncyCastle (which the hub's
 * CA uses to read them: {@code io.kapro.hub.ca.Csr}); openssl's view is in {@link PemOpensslTest}.
 */
class CsrsTest {
  @Test
  void bouncyCastleReadsOurCsrAndVerifiesItsSignature() throws Exception {
    KeyPair pair = Csrs.newKeyPair();
    byte[] der = Csrs.csr(pair);
    JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(der);
    assertThat(csr.getSubject()).isEqualTo(new X500Name("CN=kapro-agent"));
    assertThat(csr.getPublicKey()).isEqualTo(pair.getPublic());
    assertThat(csr.getSignatureAlgorithm().getAlgorithm().getId()).isEqualTo("1.2.840.10045.4.3.2");
    assertThat(csr.getAttributes()).isEmpty();
    assertThat(
            csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(pair.getPublic())))
        .isTrue();
    // DER, not just BER: BouncyCastle re-encodes it to the same bytes
    assertThat(ASN1Primitive.fromByteArray(der).getEncoded("DER")).isEqualTo(der);
  }

  @Test
  void aForeignSignerDoesNotVerify() throws Exception {
    KeyPair pair = Csrs.newKeyPair();
    byte[] der = Csrs.csr(pair, Csrs.newKeyPair().getPrivate(), "SHA256withECDSA");
    JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(der);
    assertThat(
            csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(pair.getPublic())))
        .isFalse();
  }

  @Test
  void rsaAndOtherCurvesAreWrittenWithTheirAlgorithmIdentifiers() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair r = rsa.generateKeyPair();
    JcaPKCS10CertificationRequest csr =
        new JcaPKCS10CertificationRequest(Csrs.csr(r, r.getPrivate(), "SHA256withRSA"));
    assertThat(csr.getSignatureAlgorithm().getAlgorithm().getId())
        .isEqualTo("1.2.840.113549.1.1.11");
    assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(r.getPublic())))
        .isTrue();
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(384);
    KeyPair p384 = ec.generateKeyPair();
    csr = new JcaPKCS10CertificationRequest(Csrs.csr(p384));
    assertThat(csr.getPublicKey()).isEqualTo(p384.getPublic());
    assertThat(
            csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(p384.getPublic())))
        .isTrue();
  }

  @Test
  void anUnknownSignatureAlgorithmIsRefused() {
    KeyPair pair = Csrs.newKeyPair();
    assertThatThrownBy(() -> Csrs.csr(pair, pair.getPrivate(), "SHA1withECDSA"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SHA1withECDSA")
        .hasMessageContaining("SHA256withECDSA");
  }
}
