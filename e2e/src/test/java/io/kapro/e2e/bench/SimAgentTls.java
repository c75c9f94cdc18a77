package io.kapro.e2e.bench;

import io.grpc.ManagedChannel;
import io.grpc.okhttp.OkHttpChannelBuilder;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
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
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The simulated agents' mTLS channels: the agent's transport and TLS as {@code TlsChannels} builds
 * them (gRPC OkHttp on the JDK's TLS, TLS 1.3 with its three suites, the agent's client
 * certificate, the hub CA as the only trust anchor, the agent's keepalive, readers on {@code
 * transport}), with one difference that matters at 10,000 agents: the key reaches TLS through an
 * in-memory {@link X509ExtendedKeyManager}, where {@code TlsChannels} first stores it in a PKCS#12
 * key store under a password (a PBKDF2 derivation per agent: minutes for 10,000 on two cores). The
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
          new KeyManager[] {new FixedKeyManager(jdkKey(key), jdkCert(cert))},
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

  /** One key and its certificate, offered for every client key type that matches the key. */
  private static final class FixedKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "agent";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    FixedKeyManager(PrivateKey key, X509Certificate cert) {
      this.key = key;
      this.chain = new X509Certificate[] {cert};
    }

    private String alias(String[] keyTypes) {
      if (keyTypes != null) {
        for (String t : keyTypes) {
          if (key.getAlgorithm().equalsIgnoreCase(t)) {
            return ALIAS;
          }
        }
      }
      return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return alias(new String[] {keyType}) == null ? null : new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
      return alias(keyTypes);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine e) {
      return alias(keyTypes);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? key : null;
    }
  }
}
