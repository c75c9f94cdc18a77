package io.kapro.agent.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Key pairs (ECDSA P-256) and PKCS#10 requests; the hub sets the identity, not the CSR. */
public final class Csrs {
  private Csrs() {}

  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no ECDSA P-256 key generator in this JVM", e);
    }
  }

  /** A DER-encoded CSR for {@code pair}, self-signed (proof of possession). */
  public static byte[] csr(KeyPair pair) {
    try {
      return new JcaPKCS10CertificationRequestBuilder(
              new X500Name("CN=kapro-agent"), pair.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()))
          .getEncoded();
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign a CSR", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
