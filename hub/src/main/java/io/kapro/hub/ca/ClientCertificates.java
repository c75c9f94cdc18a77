package io.kapro.hub.ca;

import io.kapro.hub.link.LinkException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;

/** Judges an agent's client certificate against the hub CA (signature, time, purpose, SAN). */
final class ClientCertificates {
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final int SAN_URI = 6;

  private ClientCertificates() {}

  static ClusterId verify(X509Certificate leaf, X509Certificate ca, Instant now) {
    if (!leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      throw untrusted("the client certificate was not issued by this hub's CA");
    }
    try {
      leaf.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw untrusted("the client certificate was not issued by this hub's CA");
    }
    try {
      leaf.checkValidity(Date.from(now));
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw new LinkException(
          LinkException.Reason.CERTIFICATE_EXPIRED,
          "the client certificate is valid from "
              + leaf.getNotBefore().toInstant()
              + " to "
              + leaf.getNotAfter().toInstant()
              + ", not at "
              + now
              + "; enroll again with a new bootstrap token");
    }
    try {
      List<String> eku = leaf.getExtendedKeyUsage();
      if (eku == null || !eku.contains(CLIENT_AUTH) || leaf.getBasicConstraints() != -1) {
        throw untrusted("the certificate is not a client-auth end-entity certificate");
      }
    } catch (CertificateParsingException e) {
      throw untrusted("the certificate's extended key usage cannot be read");
    }
    return ClusterId.parse(singleUri(leaf));
  }

  private static String singleUri(X509Certificate leaf) {
    List<String> uris = new ArrayList<>();
    try {
      Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() == 2 && Integer.valueOf(SAN_URI).equals(san.get(0))) {
            uris.add(String.valueOf(san.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      throw untrusted("the certificate's subject alternative names cannot be read");
    }
    if (uris.size() != 1) {
      throw new LinkException(
          LinkException.Reason.BAD_IDENTITY,
          "the client certificate must carry exactly one URI SAN, found " + uris.size());
    }
    return uris.get(0);
  }

  private static LinkException untrusted(String message) {
    return new LinkException(LinkException.Reason.UNTRUSTED_CERTIFICATE, message);
  }
}
