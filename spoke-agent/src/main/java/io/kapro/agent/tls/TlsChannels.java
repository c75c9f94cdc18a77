package io.kapro.agent.tls;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Channels to the hub gateway over TLS 1.3. Every channel is built from the credentials of the
 * moment, so renewed credentials take effect on the next channel without a restart.
 */
public final class TlsChannels {
  private final String host;
  private final int port;
  private final String authorityOverride;

  /**
   * @param host gateway host
   * @param port gateway port
   * @param authorityOverride server name to verify instead of {@code host}, or {@code null}
   */
  public TlsChannels(String host, int port, String authorityOverride) {
    this.host = host;
    this.port = port;
    this.authorityOverride = authorityOverride;
  }

  /** A channel with no client certificate, for Enroll, trusting {@code anchors}. */
  public ManagedChannel bootstrap(List<X509Certificate> anchors) {
    return build(context(null, anchors));
  }

  /** A mutual-TLS channel presenting {@code credentials}. */
  public ManagedChannel mutual(AgentCredentials credentials) {
    return build(context(credentials, credentials.trustAnchors()));
  }

  private ManagedChannel build(SslContext context) {
    NettyChannelBuilder b =
        NettyChannelBuilder.forAddress(host, port)
            .sslContext(context)
            .keepAliveTime(30, TimeUnit.SECONDS)
            .keepAliveTimeout(10, TimeUnit.SECONDS);
    if (authorityOverride != null) {
      b.overrideAuthority(authorityOverride);
    }
    return b.build();
  }

  private static SslContext context(AgentCredentials credentials, List<X509Certificate> anchors) {
    try {
      SslContextBuilder b =
          GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
              .trustManager(anchors)
              .protocols("TLSv1.3");
      if (credentials != null) {
        b.keyManager(credentials.key(), credentials.chainArray());
      }
      return b.build();
    } catch (SSLException e) {
      throw new TlsException(
          TlsException.Reason.INVALID_CREDENTIALS,
          "cannot build a TLS context: " + e.getMessage(),
          e);
    }
  }
}
