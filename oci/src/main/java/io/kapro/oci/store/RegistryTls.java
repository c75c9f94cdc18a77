package io.kapro.oci.store;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The SSLContext for a registry: the JDK's trusted CAs plus the configured CA file, if any. */
public final class RegistryTls {
  private RegistryTls() {}

  /**
   * An SSLContext that trusts the JDK's CAs and {@code cas} (a registry's, a metrics server's CA
   * from a Secret).
   */
  public static SSLContext trusting(java.util.Collection<? extends Certificate> cas)
      throws java.security.GeneralSecurityException, java.io.IOException {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    TrustManagerFactory def =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    def.init((KeyStore) null);
    int i = 0;
    for (var tm : def.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        for (X509Certificate c : x.getAcceptedIssuers()) {
          ks.setCertificateEntry("jdk-" + i++, c);
        }
      }
    }
    for (Certificate c : cas) {
      ks.setCertificateEntry("ca-" + i++, c);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  static SSLContext context(RegistryConfig config) {
    try {
      if (config.caFile() == null) {
        return SSLContext.getDefault();
      }
      java.util.List<Certificate> cas;
      try (InputStream in = Files.newInputStream(config.caFile())) {
        cas =
            java.util.List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
      }
      if (cas.isEmpty()) {
        throw new OciException(
            Reason.INVALID_INPUT,
            "registry CA file " + config.caFile() + " holds no PEM certificate");
      }
      return trusting(cas);
    } catch (OciException e) {
      throw e;
    } catch (Exception e) {
      throw new OciException(
          Reason.INVALID_INPUT,
          "registry CA file " + config.caFile() + " cannot be used: " + e.getMessage(),
          e);
    }
  }
}
