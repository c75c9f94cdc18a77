package io.kapro.e2e.bench;

import io.grpc.ManagedChannel;
import io.grpc.okhttp.OkHttpChannelBuilder;
import io.kapro.agent.tls.AgentKeyManager;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The simulated agents' mTLS channels: the agent's transport and TLS as {@code TlsChannels} builds
 * them (gRPC OkHttp on the JDK's TLS, TLS 1.3 with its three suites, the agent's client
 * certificate, the hub CA as the only trust anchor, the agent's keepalive, readers on {@code
 * transport}; the key reaches TLS in memory through the agent's own {@link AgentKeyManager}, no
 * PKCS#12 store and so no PBKDF2 per agent), with one difference that matters at 10,000 agents: the
 * trust manager is built once per set of anchors. Each agent keeps its own EC key and certificate
 * from the hub CA; identity stays per connection.
 */
final class SimAgentTls {
  /** As {@code TlsChannels.PROTOCOLS} and {@code TlsChannels.CIPHER_SUITES} (package-private). */
  private static final String[] PROTOCOLS = {"TLSv1.3"};

  private static final String[] CIPHER_SUITES = {
    "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256"
  };

  private static final Map<List<X509Certificate>, TrustManagerFactory> TRUST =
      new ConcurrentHashMap<>();

  private SimAgentTls() {}

  static ManagedChannel channel(
      int port,
      PrivateKey key,
      X509Certificate cert,
      List<X509Certificate> anchors,
      Executor transport) {
    try {
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(
          new KeyManager[] {new AgentKeyManager(jdkKey(key), List.of(jdkCert(cert)))},
          TRUST.computeIfAbsent(List.copyOf(anchors), SimAgentTls::trust).getTrustManagers(),
          null);
      return OkHttpChannelBuilder.forAddress("127.0.0.1", port)
          .sslSocketFactory(context.getSocketFactory())
          .tlsConnectionSpec(PROTOCOLS, CIPHER_SUITES)
          .keepAliveTime(30, TimeUnit.SECONDS)
          .keepAliveTimeout(10, TimeUnit.SECONDS)
          .transportExecutor(transport)
          .build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a simulated agent's TLS context: " + e, e);
    }
  }

  private static TrustManagerFactory trust(List<X509Certificate> anchors) {
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      for (int i = 0; i < anchors.size(); i++) {
        ks.setCertificateEntry("anchor-" + i, anchors.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(ks);
      return tmf;
    } catch (java.io.IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the trust manager for the hub CA: " + e, e);
    }
  }

  /** The key as the JDK's own provider reads it (the JDK's TLS matches key types by name). */
  private static PrivateKey jdkKey(PrivateKey key) throws GeneralSecurityException {
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
  }

  private static X509Certificate jdkCert(X509Certificate cert) throws GeneralSecurityException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(cert.getEncoded()));
  }
}
