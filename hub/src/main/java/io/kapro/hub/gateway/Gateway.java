package io.kapro.hub.gateway;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.kapro.hub.ca.BootstrapTokens;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.ca.HubCa;
import io.kapro.hub.cluster.connectivity.ConnectivityTracker;
import io.kapro.hub.metrics.HubMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent gateway of one hub replica: gRPC on Netty, TLS 1.3 only, client certificate requested
 * at the TLS layer and required per method. Build with {@link #builder()}.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  /** Largest message an agent may send (issue 18: hostile agents are bounded per message). */
  static final int MAX_MESSAGE_BYTES = 64 * 1024;

  /**
   * Evidence writes to the API server in flight at once. Unbounded (a virtual thread per cluster
   * with queued evidence), a thousand agents reporting together opened more concurrent requests
   * than one HTTP/2 connection carries ("too many concurrent streams"), and the failed writes were
   * resent by every agent; queued clusters wait for a writer instead (the coalescer then merges
   * more of their evidence into one write).
   */
  static final int EVIDENCE_WRITERS = 16;

  private final Server server;
  private final SessionRegistry registry;
  private final ServerIdentity identity;

  /** TLS handshakes worked on at once unless the builder says otherwise. */
  public static final int DEFAULT_MAX_HANDSHAKES = HandshakeLimiter.DEFAULT_LIMIT;

  private final HandshakeLimiter handshakes;
  private final ScheduledExecutorService timer;
  private final ExecutorService writers;

  private Gateway(Builder b) throws IOException {
    Objects.requireNonNull(b.ca, "ca");
    Objects.requireNonNull(b.tokens, "tokens");
    Objects.requireNonNull(b.directory, "directory");
    Objects.requireNonNull(b.sink, "sink");
    Objects.requireNonNull(b.connectivity, "connectivity");
    identity = new ServerIdentity(b.ca, b.dnsNames, b.serverLifetime, b.clock);
    handshakes = new HandshakeLimiter(b.maxHandshakes);
    b.metrics.gatewayHandshakes(handshakes::inProgress, handshakes::refused);
    writers =
        Executors.newFixedThreadPool(
            EVIDENCE_WRITERS, Thread.ofVirtual().name("kapro-evidence-", 0).factory());
    registry = new SessionRegistry(b.directory);
    SessionContext sessions =
        new SessionContext(
            b.directory,
            b.versions,
            new EvidenceCoalescer(b.sink, writers, b.metrics),
            registry,
            b.connectivity,
            b.inventory);
    Enrollment enrollment =
        new Enrollment(b.ca, b.tokens, b.directory, b.versions, b.clientLifetime);
    AgentGatewayService service = new AgentGatewayService(sessions, enrollment);
    ClientCertificateInterceptor auth =
        new ClientCertificateInterceptor(new ClientAuthenticator(b.ca, b.directory));
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(b.host, b.port))
            .sslContext(handshakes.wrap(sslContext(identity)))
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .addService(ServerInterceptors.intercept(service, auth))
            .build()
            .start();
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("kapro-gateway-timer").unstarted(r));
    Clock clock = b.clock;
    timer.scheduleWithFixedDelay(
        () -> {
          guard(b.connectivity::sweep);
          guard(() -> registry.closeExpired(clock.instant()));
          guard(
              () -> {
                b.metrics.recordConnectedAgents(registry.connectedClusters());
                b.metrics.recordCertificateExpiry(
                    "gateway-server", identity.current().getNotAfter().toInstant());
                b.metrics.recordCertificateExpiry(
                    "hub-ca", b.ca.certificate().getNotAfter().toInstant());
              });
        },
        1,
        1,
        TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(() -> guard(identity::rotateIfDue), 1, 1, TimeUnit.MINUTES);
    LOG.info("agent gateway listening on {}:{}", b.host, port());
  }

  private static SslContext sslContext(ServerIdentity identity) throws IOException {
    SslContextBuilder builder =
        SslContextBuilder.forServer(identity.keyManager())
            .trustManager(new RequestingTrustManager())
            .clientAuth(ClientAuth.OPTIONAL)
            .protocols("TLSv1.3");
    return GrpcSslContexts.configure(builder, SslProvider.JDK).build();
  }

  private static void guard(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("gateway housekeeping failed", e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The port the gateway listens on (useful with port 0). */
  public int port() {
    return server.getPort();
  }

  /** Nudges connected agents on this replica. */
  public BundleNotifier notifier() {
    return registry;
  }

  /** TLS handshakes in progress now (bounded by the builder's {@code maxHandshakes}). */
  public int handshakesInProgress() {
    return handshakes.inProgress();
  }

  /** Connections closed before their handshake because the limit was reached. */
  public long handshakesRefused() {
    return handshakes.refused();
  }

  /** The server certificate, reloadable without a restart. */
  public ServerIdentity serverIdentity() {
    return identity;
  }

  /** Closes every open stream of {@code cluster} with UNAVAILABLE; the agent reconnects. */
  public void disconnect(ClusterId cluster, String why) {
    registry.disconnect(cluster, why);
  }

  /** Open streams of {@code cluster} on this replica. */
  public int openStreams(ClusterId cluster) {
    return registry.of(cluster).size();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writers.shutdown();
  }

  /** Wiring of a {@link Gateway}; everything but the defaults named here is required. */
  public static final class Builder {
    private HubCa ca;
    private BootstrapTokens tokens;
    private ClusterDirectory directory;
    private EvidenceSink sink;
    private ConnectivityTracker connectivity;
    private InventorySink inventory = InventorySink.NONE;
    private Clock clock = Clock.systemUTC();
    private HubMetrics metrics = new HubMetrics();
    private VersionRange versions = VersionRange.DEFAULT;
    private Duration clientLifetime = HubCa.DEFAULT_CLIENT_LIFETIME;
    private Duration serverLifetime = Duration.ofDays(7);
    private List<String> dnsNames = List.of();
    private String host = "127.0.0.1";
    private int port;
    private int maxHandshakes = HandshakeLimiter.DEFAULT_LIMIT;

    public Builder ca(HubCa ca) {
      this.ca = ca;
      return this;
    }

    public Builder tokens(BootstrapTokens tokens) {
      this.tokens = tokens;
      return this;
    }

    public Builder directory(ClusterDirectory directory) {
      this.directory = directory;
      return this;
    }

    public Builder sink(EvidenceSink sink) {
      this.sink = sink;
      return this;
    }

    /** Where evidence, connection and certificate figures go (default: a private registry). */
    public Builder metrics(HubMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    public Builder connectivity(ConnectivityTracker connectivity) {
      this.connectivity = connectivity;
      return this;
    }

    /** Clock for server-certificate rotation and expiry of open streams (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Supported agent versions (default {@link VersionRange#DEFAULT}). */
    public Builder versions(VersionRange versions) {
      this.versions = versions;
      return this;
    }

    /** Where agents' inventories go (default: dropped). */
    public Builder inventory(InventorySink inventory) {
      this.inventory = inventory;
      return this;
    }

    /** Lifetime of agent certificates (default 30 days). */
    public Builder clientLifetime(Duration lifetime) {
      this.clientLifetime = lifetime;
      return this;
    }

    /** Lifetime of the server certificate (default 7 days; re-issued at two thirds). */
    public Builder serverLifetime(Duration lifetime) {
      this.serverLifetime = lifetime;
      return this;
    }

    /** Extra DNS names of the server certificate (127.0.0.1 and localhost are always in). */
    public Builder dnsNames(List<String> dnsNames) {
      this.dnsNames = List.copyOf(dnsNames);
      return this;
    }

    /**
     * TLS handshakes worked on at once (default {@value HandshakeLimiter#DEFAULT_LIMIT}); a
     * connection above it is closed before its handshake and the agent retries with backoff, so
     * that a reconnect storm (a replica died) completes handshakes instead of timing them all out.
     */
    public Builder maxHandshakes(int maxHandshakes) {
      this.maxHandshakes = maxHandshakes;
      return this;
    }

    /** Address to bind (default 127.0.0.1, port 0 = any free port). */
    public Builder bind(String host, int port) {
      this.host = host;
      this.port = port;
      return this;
    }

    /** Starts listening. */
    public Gateway start() {
      try {
        return new Gateway(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the agent gateway on " + host + ":" + port, e);
      }
    }
  }
}
