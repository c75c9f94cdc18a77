package io.kapro.agent.tls;

import io.grpc.ManagedChannel;
import io.grpc.okhttp.OkHttpChannelBuilder;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Channels to the hub gateway over TLS 1.3, on gRPC's OkHttp transport with the JDK's TLS (issue
 * 22: lighter than grpc-netty-shaded on the agent; the hub keeps Netty). Every channel is built
 * from the credentials of the moment, so renewed credentials take effect on the next channel
 * without a restart. The gateway's certificate must chain to the given anchors only (not the JDK's
 * CAs) and name the host (or the authority override).
 */
public final class TlsChannels {
  /** TLS 1.3 only, as the gateway; its three cipher suites, the JDK's default order. */
  static final String[] PROTOCOLS = {"TLSv1.3"};

  static final String[] CIPHER_SUITES = {
    "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256"
  };

  private final String host;
  private final int port;
  private final String authorityOverride;
  private final Executor transport;

  /**
   * @param host gateway host
   * @param port gateway port
   * @param authorityOverride server name to verify instead of {@code host}, or {@code null}
   */
  public TlsChannels(String host, int port, String authorityOverride) {
    this(host, port, authorityOverride, null);
  }

  /**
   * As {@link #TlsChannels(String, int, String)}, each connection's reader (OkHttp reads one
   * connection with one blocking thread) running on {@code transport}; {@code null} is gRPC's
   * shared pool, right for the agent's one connection. A process holding thousands of channels (the
   * benchmarks' load generator) passes virtual threads.
   */
  public TlsChannels(String host, int port, String authorityOverride, Executor transport) {
    this.host = host;
    this.port = port;
    this.authorityOverride = authorityOverride;
    this.transport = transport;
  }

  /** A channel with no client certificate, for Enroll, trusting {@code anchors}. */
  public ManagedChannel bootstrap(List<X509Certificate> anchors) {
    return build(context(null, anchors));
  }

  /** A mutual-TLS channel presenting {@code credentials}. */
  public ManagedChannel mutual(AgentCredentials credentials) {
    return build(context(credentials, credentials.trustAnchors()));
  }

  private ManagedChannel build(SSLContext context) {
    OkHttpChannelBuilder b =
        OkHttpChannelBuilder.forAddress(host, port)
            .sslSocketFactory(context.getSocketFactory())
            .tlsConnectionSpec(PROTOCOLS, CIPHER_SUITES)
            .keepAliveTime(30, TimeUnit.SECONDS)
            .keepAliveTimeout(10, TimeUnit.SECONDS);
    if (authorityOverride != null) {
      b.overrideAuthority(authorityOverride);
    }
    if (transport != null) {
      b.transportExecutor(transport);
    }
    return b.build();
  }

  /**
   * The JDK's TLS: the key and chain of {@code credentials} (if any), handed over in memory ({@link
   * AgentKeyManager}: no PKCS#12 store, so no PBKDF2 at each channel), trusting {@code anchors}.
   */
  static SSLContext context(AgentCredentials credentials, List<X509Certificate> anchors) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12"); // certificates only: nothing encrypted
      trust.load(null, null);
      for (int i = 0; i < anchors.size(); i++) {
        trust.setCertificateEntry("anchor-" + i, anchors.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(
          credentials == null ? null : new KeyManager[] {AgentKeyManager.of(credentials)},
          tmf.getTrustManagers(),
          null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new TlsException(
          TlsException.Reason.INVALID_CREDENTIALS,
          "cannot build a TLS context: " + e.getMessage(),
          e);
    }
  }
}
