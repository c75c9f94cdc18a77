package io.kapro.agent.tls;

import io.kapro.oci.OciException;
import io.kapro.oci.sign.Pem;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The agent's TLS material: its private key, its certificate chain (leaf first) and the CA
 * certificates it trusts for the gateway.
 */
public record AgentCredentials(
    PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trustAnchors) {

  /** Checks that the chain is non-empty, the key matches the leaf and anchors exist. */
  public AgentCredentials {
    chain = List.copyOf(chain);
    trustAnchors = List.copyOf(trustAnchors);
    if (key == null || chain.isEmpty() || trustAnchors.isEmpty()) {
      throw new TlsException(
          TlsException.Reason.INVALID_CREDENTIALS,
          "credentials need a private key, a certificate chain and a trust anchor");
    }
    if (!keyMatches(key, chain.get(0).getPublicKey())) {
      throw new TlsException(
          TlsException.Reason.INVALID_CREDENTIALS,
          "the private key does not belong to the certificate; delete the credentials and enroll"
              + " again");
    }
  }

  /** TLS material read with the one PEM codec; a malformed text is INVALID_CREDENTIALS. */
  static Pem.TlsMaterial readPem(String text, String where) {
    try {
      return Pem.readTls(text, where);
    } catch (OciException e) {
      throw new TlsException(TlsException.Reason.INVALID_CREDENTIALS, e.getMessage(), e);
    }
  }

  /** A DER certificate the hub sent; a malformed one is INVALID_CREDENTIALS. */
  static X509Certificate certificate(byte[] der, String field) {
    try {
      return Pem.certificate(der, field);
    } catch (OciException e) {
      throw new TlsException(TlsException.Reason.INVALID_CREDENTIALS, e.getMessage(), e);
    }
  }

  /** True when {@code key} signs what {@code publicKey} verifies. */
  static boolean keyMatches(PrivateKey key, PublicKey publicKey) {
    try {
      // BouncyCastle, once registered JVM-wide (oras-java does that), names EC keys "ECDSA".
      boolean ec = key.getAlgorithm().equals("EC") || key.getAlgorithm().equals("ECDSA");
      String alg = ec ? "SHA256withECDSA" : "SHA256withRSA";
      byte[] probe = "kapro-key-check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(publicKey);
      v.update(probe);
      return v.verify(sig);
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  public BigInteger serial() {
    return leaf().getSerialNumber();
  }

  public Instant notAfter() {
    return leaf().getNotAfter().toInstant();
  }

  /** When to renew: two thirds into the certificate's lifetime. */
  public Instant renewAt() {
    Instant from = leaf().getNotBefore().toInstant();
    return from.plus(Duration.between(from, notAfter()).multipliedBy(2).dividedBy(3));
  }

  /** The URI SAN ({@code spiffe://kapro/ns/<ns>/cluster/<name>}), or empty. */
  public String identity() {
    try {
      Collection<List<?>> sans = leaf().getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (Integer.valueOf(6).equals(san.get(0))) {
            return String.valueOf(san.get(1));
          }
        }
      }
    } catch (CertificateParsingException e) {
      return "";
    }
    return "";
  }

  X509Certificate[] chainArray() {
    return chain.toArray(X509Certificate[]::new);
  }

  @Override
  public String toString() {
    return "AgentCredentials["
        + identity()
        + " serial "
        + serial().toString(16)
        + " until "
        + notAfter()
        + ", anchors "
        + Arrays.toString(
            trustAnchors.stream().map(c -> c.getSubjectX500Principal().getName()).toArray())
        + "]";
  }
}
