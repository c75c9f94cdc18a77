package io.kapro.hub;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.kapro.hub.airgap.EvidenceImporter;
import io.kapro.hub.ca.BootstrapTokens;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.ca.HubCa;
import io.kapro.hub.ca.SecretCaStore;
import io.kapro.hub.ca.SecretTokenStore;
import io.kapro.hub.cluster.AgentLeases;
import io.kapro.hub.cluster.ConnectivityStatusWriter;
import io.kapro.hub.cluster.KubeClusterDirectory;
import io.kapro.hub.cluster.connectivity.ConnectivityTracker;
import io.kapro.hub.cluster.connectivity.Liveness;
import io.kapro.hub.events.EventSettings;
import io.kapro.hub.events.HubEvents;
import io.kapro.hub.events.inbound.InboundServer;
import io.kapro.hub.evidence.KubeEvidenceSink;
import io.kapro.hub.evidence.TargetsByCluster;
import io.kapro.hub.gateway.Gateway;
import io.kapro.hub.inventory.KubeInventoryStore;
import io.kapro.hub.metrics.HubMetrics;
import io.kapro.hub.publish.FleetPublisher;
import io.kapro.hub.publish.FleetStores;
import io.kapro.hub.publish.Reissuer;
import io.kapro.hub.shard.ShardLeases;
import io.kapro.hub.shard.ShardOwnership;
import io.kapro.oci.store.RetryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hub replica, wired: the CA and bootstrap tokens (Secrets in the hub namespace), the agent
 * gateway on every replica, the Kubernetes-backed cluster directory and evidence sink, cluster
 * connectivity written to Cluster status, the bundle publisher and re-issuer, and the reconcilers
 * (leader-elected when asked for). {@link HubMain} runs it in a pod; tests and the demo start it
 * against any API server.
 */
public final class Hub implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private HubCa ca;
  private BootstrapTokens tokens;
  private Gateway gateway;
  private FleetPublisher publisher;
  private final HubMetrics metrics = new HubMetrics();
  private InboundServer http;
  private ShardLeases shardLeases;

  private Hub() {}

  /** Starts every part; on failure, what was started is stopped again. */
  public static Hub start(KubernetesClient client, HubSettings settings, Clock clock) {
    Hub hub = new Hub();
    try {
      hub.wire(client, settings, clock);
      return hub;
    } catch (RuntimeException e) {
      hub.close();
      throw e;
    }
  }

  private void wire(KubernetesClient client, HubSettings s, Clock clock) {
    ca = HubCa.loadOrCreate(new SecretCaStore(client, s.namespace(), s.caSecret()), clock);
    tokens = new BootstrapTokens(new SecretTokenStore(client, s.namespace()), clock);

    KubeClusterDirectory directory = KubeClusterDirectory.start(client, null);
    resources.push(directory);
    ConnectivityTracker connectivity = new ConnectivityTracker(clock);
    TargetsByCluster reads = TargetsByCluster.start(client, directory::cached);
    resources.push(reads);
    KubeEvidenceSink sink = new KubeEvidenceSink(client, clock, metrics, reads);
    KubeInventoryStore inventory = new KubeInventoryStore(client);
    resources.push(inventory);
    gateway =
        Gateway.builder()
            .ca(ca)
            .tokens(tokens)
            .directory(directory)
            .sink(sink)
            .connectivity(connectivity)
            .inventory(inventory)
            .metrics(metrics)
            .clock(clock)
            .dnsNames(s.gatewayDnsNames())
            .bind(s.gatewayHost(), s.gatewayPort())
            .start();
    resources.push(gateway);
    directory.onBundlePublished(gateway.notifier());
    // liveness: heartbeats in memory, a Lease per connected cluster renewed coarsely, Cluster
    // status on transitions and coarsely (docs/design/api-budget.md)
    // one name for this replica in every Lease it holds (agent Leases, shard Leases)
    String replica = Leadership.instanceIdentity();
    resources.push(
        new AgentLeases(client, connectivity, clock, replica, Liveness.DEFAULTS)
            .start(Duration.ofSeconds(1)));
    resources.push(
        new ConnectivityStatusWriter(client, connectivity, clock)
            .readingFrom(directory::cached)
            .refreshEvery(Liveness.DEFAULTS.statusRefresh())
            .start(Duration.ofSeconds(1)));

    FleetStores stores =
        new FleetStores(client).recheckingSecretsEvery(Duration.ofSeconds(30), clock);
    resources.push(stores);
    // Fleets and Clusters from this replica's informers, the signing key re-read every 30 s: no
    // read per bundle (docs/design/api-budget.md)
    publisher =
        new FleetPublisher(
            client,
            clock,
            stores,
            RetryPolicy.defaults(),
            new FleetPublisher.Caches(
                directory::cached,
                directory::cachedFleet,
                directory::cachedFleets,
                Duration.ofSeconds(30)));
    if (s.shards() > 0) {
      shardLeases =
          new ShardLeases(
              client,
              s.namespace(),
              HubSettings.SHARD_LEASE_PREFIX,
              replica,
              s.shards(),
              s.shardLease());
    }
    // with shards, the side jobs (re-issuer, event delivery, evidence import) run on the owner of
    // shard 0; else on the elected leader (or the single replica)
    BooleanSupplier leadership =
        shardLeases != null
            ? () -> shardLeases.owns(0)
            : s.leaderElection()
                ? Leadership.elected(HubSettings.LEASE_NAME, s.namespace())
                : Leadership.single();
    Optional<LeaderElectionConfiguration> election =
        leadership instanceof Leadership l ? l.configuration() : Optional.empty();
    s.evidenceImport()
        .ifPresent(
            every -> {
              resources.push(
                  new EvidenceImporter(client, stores, directory, sink, ca.trustAnchors(), clock)
                      .start(every, leadership));
              LOG.info("importing evidence artifacts every {} (on the leader)", every);
            });
    resources.push(new Reissuer(publisher, client, null, leadership).start(s.reissueInterval()));
    HubEvents events =
        HubEvents.start(client, EventSettings.defaults(), metrics, clock, leadership)
            .readingFleetsFrom(directory::cachedFleet);
    resources.push(events);
    resources.push(
        HubOperator.start(
            client,
            publisher,
            new HubOperator.Settings(clock, s.resync()),
            events,
            metrics,
            election,
            shardLeases == null ? ShardOwnership.ALL : shardLeases));
    if (shardLeases != null) {
      // after the operator: its start-up reconciles pass the gate as not owned, and each shard
      // acquired from here on is queued for reconciling
      resources.push(shardLeases.start());
    }
    try {
      http =
          InboundServer.start(
              new InetSocketAddress(s.httpHost(), s.httpPort()), client, metrics, clock);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on "
              + s.httpHost()
              + ":"
              + s.httpPort()
              + " for inbound events and /metrics (KAPRO_HTTP_ADDRESS): "
              + e.getMessage(),
          e);
    }
    resources.push(http);
    LOG.info(
        "hub started: gateway on {}:{}, leader election {}, {}",
        s.gatewayHost(),
        gateway.port(),
        s.leaderElection() ? "on (lease " + HubSettings.LEASE_NAME + ")" : "off",
        s.shards() > 0
            ? s.shards() + " shards (Leases " + HubSettings.SHARD_LEASE_PREFIX + "-shard-*)"
            : "no sharding");
  }

  /** The port of the HTTP endpoint: inbound CloudEvents and {@code /metrics}. */
  public int httpPort() {
    return http.address().getPort();
  }

  /** The hub's meters (also served at {@code /metrics}). */
  public HubMetrics metrics() {
    return metrics;
  }

  /** The port the agent gateway listens on. */
  public int gatewayPort() {
    return gateway.port();
  }

  /** The CA certificates agents trust for the gateway (for their {@code hub.caFile}). */
  public List<X509Certificate> trustAnchors() {
    return ca.trustAnchors();
  }

  /** A single-use enrollment token for one cluster. */
  public String issueBootstrapToken(String namespace, String cluster, Duration ttl) {
    return tokens.issue(new ClusterId(namespace, cluster), ttl);
  }

  /** The publisher, for tools that publish outside a run (none in normal operation). */
  public FleetPublisher publisher() {
    return publisher;
  }

  /** This replica's shard Leases; empty without sharding. */
  public Optional<ShardLeases> shardLeases() {
    return Optional.ofNullable(shardLeases);
  }

  /**
   * Stops this replica as a killed pod would leave the shard set: its shard Leases are not
   * released, so other replicas take its shards over only when the Leases expire (the fault tests
   * use it); then stops every part.
   */
  public void crash() {
    if (shardLeases != null) {
      shardLeases.halt();
    }
    close();
  }

  @Override
  public void close() {
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        LOG.warn("stopping a hub part failed", e);
      }
    }
  }
}
