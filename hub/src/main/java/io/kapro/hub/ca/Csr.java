package io.kapro.hub.ca;

import io.kapro.hub.link.LinkException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Reads an agent's PKCS#10 request: proves possession of the key (self-signature) and returns the
 * public key. The subject and SANs asked for are ignored; the hub sets the identity.
 */
public final class Csr {
  /** Largest CSR accepted; a P-256 CSR is a few hundred bytes. */
  public static final int MAX_BYTES = 8 * 1024;

  private Csr() {}

  /** The CSR's public key, after checking size, encoding, signature and key type. */
  public static PublicKey publicKey(byte[] der) {
    if (der == null || der.length == 0) {
      throw invalid("csr_der is empty; send a DER-encoded PKCS#10 request");
    }
    if (der.length > MAX_BYTES) {
      throw invalid("csr_der is " + der.length + " bytes; the limit is " + MAX_BYTES);
    }
    JcaPKCS10CertificationRequest csr;
    PublicKey key;
    try {
      csr = new JcaPKCS10CertificationRequest(der);
      key = csr.getPublicKey();
    } catch (Exception e) {
      throw invalid("csr_der is not a DER-encoded PKCS#10 request: " + e.getMessage());
    }
    if (!(key instanceof ECPublicKey ec)
        || ec.getParams().getCurve().getField().getFieldSize() != 256) {
      throw invalid("csr_der: the key must be ECDSA P-256, got " + key.getAlgorithm());
    }
    try {
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
        throw invalid("csr_der: the request's signature does not verify with its own key");
      }
    } catch (OperatorCreationException | PKCSException e) {
      throw invalid("csr_der: the request's signature cannot be checked: " + e.getMessage());
    }
    return key;
  }

  private static LinkException invalid(String message) {
    return new LinkException(LinkException.Reason.INVALID_CSR, message);
  }
}
