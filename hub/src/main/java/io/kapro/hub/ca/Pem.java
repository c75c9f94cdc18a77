package io.kapro.hub.ca;

import io.kapro.hub.link.LinkException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
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

/** PEM encoding of certificates and PKCS#8 private keys (what gRPC's TLS wants). */
public final class Pem {
  private Pem() {}

  /** Certificates, one PEM block each. */
  public static String certificates(List<X509Certificate> certificates) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (X509Certificate c : certificates) {
        writer.writeObject(c);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** An unencrypted PKCS#8 private key ("BEGIN PRIVATE KEY"). */
  public static String privateKey(PrivateKey key) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Every certificate in {@code pem}; {@code field} names the input in errors. */
  public static List<X509Certificate> parseCertificates(String pem, String field) {
    List<X509Certificate> result = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o;
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      while ((o = parser.readObject()) != null) {
        if (!(o instanceof X509CertificateHolder holder)) {
          throw new LinkException(
              LinkException.Reason.CA_FAILURE, field + ": expected only CERTIFICATE PEM blocks");
        }
        result.add(converter.getCertificate(holder));
      }
    } catch (IOException | CertificateException e) {
      throw new LinkException(
          LinkException.Reason.CA_FAILURE, field + ": not valid PEM certificates: " + e, e);
    }
    if (result.isEmpty()) {
      throw new LinkException(
          LinkException.Reason.CA_FAILURE, field + ": no CERTIFICATE PEM block found");
    }
    return result;
  }

  /** One PKCS#8 private key; {@code field} names the input in errors. */
  public static PrivateKey parsePrivateKey(String pem, String field) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o = parser.readObject();
      if (!(o instanceof PrivateKeyInfo info)) {
        throw new LinkException(
            LinkException.Reason.CA_FAILURE,
            field + ": expected one unencrypted PKCS#8 'PRIVATE KEY' PEM block");
      }
      return new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (IOException e) {
      throw new LinkException(
          LinkException.Reason.CA_FAILURE, field + ": not a valid PEM private key: " + e, e);
    }
  }
}
