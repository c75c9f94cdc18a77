package io.kapro.agent.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** PEM and DER helpers for the agent's credentials. */
final class Pem {
  private Pem() {}

  static String write(PrivateKey key, List<X509Certificate> certificates) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      if (key != null) {
        writer.writeObject(new JcaPKCS8Generator(key, null));
      }
      for (X509Certificate c : certificates) {
        writer.writeObject(c);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** What a PEM text holds: at most one private key, and certificates in order. */
  record Parsed(PrivateKey key, List<X509Certificate> certificates) {}

  static Parsed read(String pem, String where) {
    PrivateKey key = null;
    List<X509Certificate> certs = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof PrivateKeyInfo info && key == null) {
          key = new JcaPEMKeyConverter().getPrivateKey(info);
        } else if (o instanceof X509CertificateHolder holder) {
          certs.add(converter.getCertificate(holder));
        } else {
          throw invalid(where + ": unexpected PEM block " + o.getClass().getSimpleName());
        }
      }
    } catch (IOException | CertificateException e) {
      throw invalid(where + ": not valid PEM: " + e.getMessage());
    }
    return new Parsed(key, certs);
  }

  static X509Certificate der(byte[] der, String field) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | ClassCastException e) {
      throw invalid(field + ": not a DER X.509 certificate: " + e.getMessage());
    }
  }

  /** True when {@code key} signs what {@code publicKey} verifies. */
  static boolean matches(PrivateKey key, PublicKey publicKey) {
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

  private static TlsException invalid(String message) {
    return new TlsException(TlsException.Reason.INVALID_CREDENTIALS, message);
  }
}
