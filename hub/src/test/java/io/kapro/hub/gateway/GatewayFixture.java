package io.kapro.hub.gateway;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.kapro.agent.testing.MutableClock;
import io.kapro.hub.ca.BootstrapTokens;
import io.kapro.hub.ca.CaMaterial;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.ca.HubCa;
import io.kapro.hub.ca.InMemoryCaStore;
import io.kapro.hub.ca.InMemoryTokenStore;
import io.kapro.hub.cluster.connectivity.ConnectivityTracker;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real gateway on 127.0.0.1:0 with a CA made for the test, plus channels to it. */
final class GatewayFixture implements AutoCloseable {
  static final ClusterId A = new ClusterId("team-a", "edge-a");
  static final ClusterId B = new ClusterId("team-a", "edge-b");

  final MutableClock clock;
  final InMemoryCaStore caStore = new InMemoryCaStore();
  final HubCa ca;
  final InMemoryTokenStore tokenStore = new InMemoryTokenStore();
  final BootstrapTokens tokens;
  final InMemoryClusterDirectory directory = new InMemoryClusterDirectory().add(A).add(B);
  final RecordingEvidenceSink sink = new RecordingEvidenceSink();
  final ConnectivityTracker connectivity;
  final Gateway gateway;
  private final List<ManagedChannel> channels = new ArrayList<>();

  GatewayFixture() {
    this(java.time.Instant.now());
  }

  /** A hub whose clock starts at {@code start}. */
  GatewayFixture(java.time.Instant start) {
    this(start, HandshakeLimiter.DEFAULT_LIMIT);
  }

  /** A hub whose clock starts at {@code start}, working on at most {@code maxHandshakes}. */
  GatewayFixture(java.time.Instant start, int maxHandshakes) {
    clock = new MutableClock(start);
    ca = HubCa.loadOrCreate(caStore, clock);
    tokens = new BootstrapTokens(tokenStore, clock);
    connectivity = new ConnectivityTracker(clock);
    gateway =
        Gateway.builder()
            .ca(ca)
            .tokens(tokens)
            .directory(directory)
            .sink(sink)
            .connectivity(connectivity)
            .clock(clock)
            .serverLifetime(Duration.ofDays(3))
            .maxHandshakes(maxHandshakes)
            .bind("127.0.0.1", 0)
            .start();
  }

  /** Key and chain (leaf, CA) as an enrolled agent holds them. */
  record Credentials(PrivateKey key, X509Certificate[] chain) {
    X509Certificate leaf() {
      return chain[0];
    }
  }

  Credentials credentialsFor(ClusterId cluster) {
    return credentialsFrom(ca, cluster);
  }

  Credentials credentialsFrom(HubCa issuer, ClusterId cluster) {
    KeyPair pair = HubCa.newKeyPair();
    X509Certificate cert = issuer.issueClient(cluster, pair.getPublic(), Duration.ofDays(30));
    return new Credentials(pair.getPrivate(), new X509Certificate[] {cert, issuer.certificate()});
  }

  CaMaterial caMaterial() {
    return caStore.load().orElseThrow();
  }

  ManagedChannel channel(Credentials credentials) {
    try {
      return channel(credentials, new RecordingTrustManager(ca.certificate()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  ManagedChannel channel(Credentials credentials, RecordingTrustManager trust) {
    try {
      SslContextBuilder b =
          GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
              .trustManager(trust)
              .protocols("TLSv1.3");
      if (credentials != null) {
        b.keyManager(credentials.key(), credentials.chain());
      }
      ManagedChannel ch =
          NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).sslContext(b.build()).build();
      synchronized (channels) {
        channels.add(ch);
      }
      return ch;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    synchronized (channels) {
      for (ManagedChannel ch : channels) {
        ch.shutdownNow();
      }
      for (ManagedChannel ch : channels) {
        ch.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    gateway.close();
  }
}
