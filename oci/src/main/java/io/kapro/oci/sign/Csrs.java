package io.kapro.oci.sign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The one home for Kapro's ECDSA P-256 key pairs (signing keys, the hub CA, agent TLS keys) and
 * PKCS#10 requests (an agent's enrollment and renewal; the hub sets the identity, not the CSR).
 */
public final class Csrs {
  private Csrs() {}

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new ECDSA P-256 key pair. */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no ECDSA P-256 key generator in this JVM", e);
    }
  }

  /** A DER-encoded CSR for {@code pair}, self-signed (proof of possession). */
  public static byte[] csr(KeyPair pair) {
    return csr(pair, pair.getPrivate(), "SHA256withECDSA");
  }

  /**
   * A DER-encoded CSR for {@code pair}'s public key signed by {@code signer} with {@code algorithm}
   * (JCA name); tests use a foreign signer to check that the hub demands proof of possession.
   */
  public static byte[] csr(KeyPair pair, PrivateKey signer, String algorithm) {
    try {
      return new JcaPKCS10CertificationRequestBuilder(
              new X500Name("CN=kapro-agent"), pair.getPublic())
          .build(new JcaContentSignerBuilder(algorithm).build(signer))
          .getEncoded();
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign a CSR", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
