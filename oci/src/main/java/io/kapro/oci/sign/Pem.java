package io.kapro.oci.sign;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.Digests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * The one PEM codec of Kapro: ECDSA P-256 signing keys (PKCS#8 private, SubjectPublicKeyInfo
 * public, as cosign writes them), and the TLS material of the hub CA and the agents (X.509
 * certificates and PKCS#8 private keys, what gRPC's TLS wants). Errors are {@link OciException}s
 * with reason INVALID_INPUT whose message names the source.
 */
public final class Pem {
  private static final JcaPEMKeyConverter CONVERTER = new JcaPEMKeyConverter();

  private Pem() {}

  /** {@code -----BEGIN PRIVATE KEY-----} (PKCS#8). */
  public static String privateKeyPem(PrivateKey key) {
    try {
      return write(new JcaPKCS8Generator(key, null).generate());
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode private key", e);
    }
  }

  /** {@code -----BEGIN PUBLIC KEY-----} (SubjectPublicKeyInfo), as cosign writes it. */
  public static String publicKeyPem(PublicKey key) {
    return write(key);
  }

  /**
   * Reads a private key from PEM: PKCS#8 ({@code PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}).
   * The public half is derived where the PEM carries it.
   */
  public static java.security.KeyPair readKeyPair(String pem, String source) {
    if (pem != null && pem.contains("-----BEGIN ENCRYPTED")) {
      throw invalid(
          source
              + ": the private key is encrypted (cosign's 'ENCRYPTED COSIGN PRIVATE KEY' or"
              + " PKCS#8 encrypted); export it unencrypted as PKCS#8, e.g."
              + " 'openssl pkcs8 -topk8 -nocrypt'");
    }
    for (Object o : objects(pem, source)) {
      try {
        if (o instanceof PEMKeyPair kp) {
          return requireP256(CONVERTER.getKeyPair(kp), source);
        }
        if (o instanceof PrivateKeyInfo info) {
          PrivateKey priv = CONVERTER.getPrivateKey(info);
          return requireP256(new java.security.KeyPair(derivePublic(priv), priv), source);
        }
      } catch (IOException | java.security.GeneralSecurityException e) {
        throw invalid(source + ": cannot decode the private key: " + e.getMessage());
      }
    }
    throw invalid(source + ": no 'PRIVATE KEY' or 'EC PRIVATE KEY' PEM block found");
  }

  /** Reads every {@code PUBLIC KEY} block (ECDSA P-256 only). */
  public static List<PublicKey> readPublicKeys(String pem, String source) {
    List<PublicKey> keys = new ArrayList<>();
    for (Object o : objects(pem, source)) {
      if (o instanceof SubjectPublicKeyInfo spki) {
        try {
          PublicKey k = CONVERTER.getPublicKey(spki);
          requireP256(k, source);
          keys.add(k);
        } catch (IOException e) {
          throw invalid(source + ": cannot decode a public key: " + e.getMessage());
        }
      }
    }
    if (keys.isEmpty()) {
      throw invalid(source + ": no 'PUBLIC KEY' PEM block found (expected an ECDSA P-256 key)");
    }
    return keys;
  }

  /** Certificates, one {@code CERTIFICATE} block each, in order. */
  public static String certificates(List<X509Certificate> certificates) {
    StringBuilder out = new StringBuilder();
    for (X509Certificate c : certificates) {
      out.append(write(c));
    }
    return out.toString();
  }

  /** A private key ({@code PRIVATE KEY}, PKCS#8) followed by certificates; the key may be null. */
  public static String keyAndCertificates(PrivateKey key, List<X509Certificate> certificates) {
    return (key == null ? "" : privateKeyPem(key)) + certificates(certificates);
  }

  /** What a PEM text of TLS material holds: at most one private key, and certificates in order. */
  public record TlsMaterial(PrivateKey key, List<X509Certificate> certificates) {}

  /**
   * Reads TLS material: at most one unencrypted PKCS#8 {@code PRIVATE KEY} and any number of {@code
   * CERTIFICATE} blocks; any other block is refused. Empty text holds nothing.
   */
  public static TlsMaterial readTls(String pem, String source) {
    PrivateKey key = null;
    List<X509Certificate> certs = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem == null ? "" : pem))) {
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof PrivateKeyInfo info && key == null) {
          key = CONVERTER.getPrivateKey(info);
        } else if (o instanceof X509CertificateHolder holder) {
          certs.add(converter.getCertificate(holder));
        } else {
          throw invalid(
              source
                  + ": unexpected PEM block "
                  + o.getClass().getSimpleName()
                  + "; expected one unencrypted PKCS#8 'PRIVATE KEY' and 'CERTIFICATE' blocks");
        }
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      if (e instanceof OciException oe) {
        throw oe;
      }
      throw invalid(source + ": not valid PEM: " + e.getMessage());
    }
    return new TlsMaterial(key, List.copyOf(certs));
  }

  /** Every certificate of a text that holds only (one or more) {@code CERTIFICATE} blocks. */
  public static List<X509Certificate> readCertificates(String pem, String source) {
    TlsMaterial m = readTls(pem, source);
    if (m.key() != null) {
      throw invalid(source + ": expected only CERTIFICATE PEM blocks, found a private key");
    }
    if (m.certificates().isEmpty()) {
      throw invalid(source + ": no CERTIFICATE PEM block found");
    }
    return m.certificates();
  }

  /** The one private key of a text that holds a single PKCS#8 {@code PRIVATE KEY} block. */
  public static PrivateKey readPrivateKey(String pem, String source) {
    TlsMaterial m = readTls(pem, source);
    if (m.key() == null || !m.certificates().isEmpty()) {
      throw invalid(source + ": expected one unencrypted PKCS#8 'PRIVATE KEY' PEM block");
    }
    return m.key();
  }

  /** A DER-encoded X.509 certificate (as a CSR answer or a TLS peer carries it). */
  public static X509Certificate certificate(byte[] der, String source) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | ClassCastException e) {
      throw invalid(source + ": not a DER X.509 certificate: " + e.getMessage());
    }
  }

  /** Key id: lowercase hex SHA-256 of the public key's DER (SubjectPublicKeyInfo). */
  public static String keyId(PublicKey key) {
    return HexFormat.of().formatHex(Digests.sha256Raw(key.getEncoded()));
  }

  private static List<Object> objects(String pem, String source) {
    if (pem == null || pem.isBlank()) {
      throw invalid(source + ": empty, expected PEM text");
    }
    List<Object> out = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        out.add(o);
      }
    } catch (IOException | RuntimeException e) {
      throw invalid(source + ": not valid PEM: " + e.getMessage());
    }
    return out;
  }

  private static PublicKey derivePublic(PrivateKey priv)
      throws java.security.GeneralSecurityException {
    if (!(priv instanceof java.security.interfaces.ECPrivateKey ec)) {
      throw invalid("the private key is " + priv.getAlgorithm() + ", expected ECDSA P-256");
    }
    org.bouncycastle.jce.spec.ECParameterSpec bc =
        org.bouncycastle.jce.ECNamedCurveTable.getParameterSpec("secp256r1");
    org.bouncycastle.math.ec.ECPoint q = bc.getG().multiply(ec.getS()).normalize();
    java.security.spec.ECPoint w =
        new java.security.spec.ECPoint(
            q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    return KeyFactory.getInstance("EC")
        .generatePublic(new java.security.spec.ECPublicKeySpec(w, ec.getParams()));
  }

  private static java.security.KeyPair requireP256(java.security.KeyPair kp, String source) {
    requireP256(kp.getPublic(), source);
    return kp;
  }

  private static void requireP256(PublicKey k, String source) {
    if (!(k instanceof ECPublicKey ec) || !isP256(ec.getParams())) {
      throw invalid(source + ": key is " + k.getAlgorithm() + " but must be ECDSA on curve P-256");
    }
  }

  private static boolean isP256(ECParameterSpec spec) {
    return spec.getCurve().getField().getFieldSize() == 256
        && spec.getOrder()
            .equals(
                new java.math.BigInteger(
                    "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16));
  }

  private static String write(Object o) {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write PEM", e);
    }
    return sw.toString();
  }

  private static OciException invalid(String message) {
    return new OciException(Reason.INVALID_INPUT, message);
  }
}
