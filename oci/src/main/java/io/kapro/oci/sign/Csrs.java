package io.kapro.oci.sign;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;

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

  /** The subject of every request: the hub ignores it and sets the identity. */
  static final String SUBJECT_CN = "kapro-agent";

  /** Signature AlgorithmIdentifiers by JCA name (RFC 5758 for ECDSA, RFC 4055 for RSA). */
  private static final Map<String, byte[]> SIGNATURE_ALGORITHMS =
      Map.of(
          "SHA256withECDSA", Der.sequence(Der.oid("1.2.840.10045.4.3.2")),
          "SHA384withECDSA", Der.sequence(Der.oid("1.2.840.10045.4.3.3")),
          "SHA512withECDSA", Der.sequence(Der.oid("1.2.840.10045.4.3.4")),
          "SHA256withRSA", Der.sequence(Der.oid("1.2.840.113549.1.1.11"), Der.nullValue()),
          "SHA384withRSA", Der.sequence(Der.oid("1.2.840.113549.1.1.12"), Der.nullValue()),
          "SHA512withRSA", Der.sequence(Der.oid("1.2.840.113549.1.1.13"), Der.nullValue()),
          "Ed25519", Der.sequence(Der.oid("1.3.101.112")));

  /**
   * A DER-encoded CSR for {@code pair}'s public key signed by {@code signer} with {@code algorithm}
   * (JCA name); tests use a foreign signer to check that the hub demands proof of possession.
   *
   * <p>PKCS#10 (RFC 2986) written with {@link Der}: version 0, subject {@code CN=kapro-agent}
   * (UTF8String), the key's SubjectPublicKeyInfo, no attributes; signed with the JDK's {@link
   * Signature}.
   */
  public static byte[] csr(KeyPair pair, PrivateKey signer, String algorithm) {
    byte[] algorithmId = SIGNATURE_ALGORITHMS.get(algorithm);
    if (algorithmId == null) {
      throw new IllegalStateException(
          "cannot sign a CSR with " + algorithm + "; use one of " + SIGNATURE_ALGORITHMS.keySet());
    }
    byte[] subject =
        Der.sequence(Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8String(SUBJECT_CN))));
    byte[] info =
        Der.sequence(
            Der.integer(BigInteger.ZERO),
            subject,
            pair.getPublic().getEncoded(),
            Der.contextConstructed(0));
    try {
      Signature s = Signature.getInstance(algorithm);
      s.initSign(signer);
      s.update(info);
      return Der.sequence(info, algorithmId, Der.bitString(s.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a CSR", e);
    }
  }
}
