package io.kapro.oci.evidence;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/** PEM certificate chains, read strictly from untrusted bytes. */
final class CertificateChains {
  /** More certificates than this is not a chain Kapro writes. */
  static final int MAX_CERTIFICATES = 4;

  private CertificateChains() {}

  static byte[] pem(List<X509Certificate> chain) {
    StringBuilder sb = new StringBuilder();
    Base64.Encoder enc = Base64.getMimeEncoder(64, new byte[] {'\n'});
    for (X509Certificate c : chain) {
      try {
        sb.append("-----BEGIN CERTIFICATE-----\n")
            .append(enc.encodeToString(c.getEncoded()))
            .append("\n-----END CERTIFICATE-----\n");
      } catch (CertificateEncodingException e) {
        throw new OciException(Reason.INVALID_INPUT, "cannot encode a certificate: " + e, e);
      }
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * @throws OciException MALFORMED when the bytes are not 1..4 PEM X.509 certificates
   */
  static List<X509Certificate> parse(byte[] pem, String what) {
    String text = new String(pem, StandardCharsets.US_ASCII);
    if (!text.startsWith("-----BEGIN CERTIFICATE-----")) {
      throw new OciException(Reason.MALFORMED, what + " is not a PEM certificate chain");
    }
    try {
      Collection<? extends java.security.cert.Certificate> certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem));
      if (certs.isEmpty() || certs.size() > MAX_CERTIFICATES) {
        throw new OciException(
            Reason.MALFORMED,
            what + " holds " + certs.size() + " certificates (1 to " + MAX_CERTIFICATES + ")");
      }
      List<X509Certificate> out = new ArrayList<>();
      for (var c : certs) {
        out.add((X509Certificate) c);
      }
      return out;
    } catch (CertificateException | RuntimeException e) {
      if (e instanceof OciException o) {
        throw o;
      }
      throw new OciException(
          Reason.MALFORMED, what + " is not a PEM certificate chain: " + e.getMessage());
    }
  }
}
