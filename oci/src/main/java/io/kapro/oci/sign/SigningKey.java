package io.kapro.oci.sign;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * An ECDSA P-256 signing key with its key id (hex SHA-256 of the public key DER).
 *
 * @param privateKey the private half
 * @param publicKey the public half
 * @param keyId hex SHA-256 of {@code publicKey.getEncoded()}
 */
public record SigningKey(PrivateKey privateKey, PublicKey publicKey, String keyId) {

  /** A new random P-256 key. */
  public static SigningKey generate() {
    return of(Csrs.newKeyPair());
  }

  /** From a key pair. */
  public static SigningKey of(KeyPair pair) {
    return new SigningKey(pair.getPrivate(), pair.getPublic(), Pem.keyId(pair.getPublic()));
  }

  /**
   * From PEM ({@code PRIVATE KEY} PKCS#8 or {@code EC PRIVATE KEY}).
   *
   * @param source where the PEM came from, for error messages (a file or Secret name)
   */
  public static SigningKey fromPem(String pem, String source) {
    return of(Pem.readKeyPair(pem, source));
  }

  /** PKCS#8 PEM of the private key. */
  public String privateKeyPem() {
    return Pem.privateKeyPem(privateKey);
  }

  /** SubjectPublicKeyInfo PEM of the public key (the file {@code cosign verify --key} takes). */
  public String publicKeyPem() {
    return Pem.publicKeyPem(publicKey);
  }

  /** ASN.1 DER ECDSA signature over SHA-256 of {@code data}. */
  public byte[] sign(byte[] data) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(privateKey);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new OciException(Reason.INVALID_INPUT, "cannot sign with key " + keyId + ": " + e, e);
    }
  }

  @Override
  public String toString() {
    return "SigningKey[" + keyId + "]";
  }
}
