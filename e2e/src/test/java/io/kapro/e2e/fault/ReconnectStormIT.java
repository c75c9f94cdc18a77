package io.kapro.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kapro.hub.ca.BootstrapTokens;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.ca.HubCa;
import io.kapro.hub.ca.InMemoryCaStore;
import io.kapro.hub.ca.InMemoryTokenStore;
import io.kapro.hub.cluster.connectivity.ConnectivityTracker;
import io.kapro.hub.gateway.ClusterEntry;
import io.kapro.hub.gateway.EvidenceBatch;
import io.kapro.hub.gateway.EvidenceSink;
import io.kapro.hub.gateway.Gateway;
import io.kapro.hub.gateway.InMemoryClusterDirectory;
import io.kapro.hub.gateway.LinkSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reconnect storm: N agents' links (the real {@code HubClient}, real mTLS, the standard 1 s → 60
 * s exponential backoff with full jitter) are connected to the real gateway; the gateway stops
 * while every agent queues one more evidence item, and starts again on the same port. Measures the
 * time until every agent is back, the hellos the gateway accepted per second and a histogram of
 * reconnect times; checks that every evidence item reached the hub (I3) and that no agent was left
 * out. N = 30 when small (CI), 1,000 with {@code -Dkapro.scale=large}, or {@code
 * -Dkapro.storm.agents}. Results go to {@code target/reconnect-storm.md}.
 */
class ReconnectStormIT {
  static final boolean LARGE = "large".equals(System.getProperty("kapro.scale", "small"));
  static final int AGENTS = Integer.getInteger("kapro.storm.agents", LARGE ? 1000 : 30);
  static final Duration DOWN = LARGE ? Duration.ofSeconds(10) : Duration.ofSeconds(2);
  static final long BUCKET_MS = 500;

  /** The hub's status writer stand-in: durable number per cluster, idempotent by number. */
  static final class DurableSink implements EvidenceSink {
    final Map<ClusterId, Long> durable = new ConcurrentHashMap<>();

    @Override
    public long appliedUpTo(ClusterId cluster) {
      return durable.getOrDefault(cluster, 0L);
    }

    @Override
    public synchronized boolean write(ClusterId cluster, EvidenceBatch batch) {
      durable.merge(cluster, batch.upTo(), Math::max);
      return true;
    }
  }

  @Test
  @Timeout(900)
  void everyAgentReconnectsAfterAHubRestartSpreadByTheJitteredBackoff(@TempDir Path outboxes)
      throws Exception {
    HubCa ca = HubCa.loadOrCreate(new InMemoryCaStore(), Clock.systemUTC());
    BootstrapTokens tokens = new BootstrapTokens(new InMemoryTokenStore(), Clock.systemUTC());
    InMemoryClusterDirectory directory = new InMemoryClusterDirectory();
    DurableSink sink = new DurableSink();
    Gateway.Builder builder =
        Gateway.builder().ca(ca).tokens(tokens).directory(directory).sink(sink);
    Gateway gateway =
        builder
            .connectivity(new ConnectivityTracker(Clock.systemUTC()))
            .bind("127.0.0.1", 0)
            .start();
    int port = gateway.port();
    Instant t0 = Instant.now();
    StormAgents agents = new StormAgents(ca, AGENTS, port, outboxes);
    for (ClusterId id : agents.ids) {
      directory.put(
          new ClusterEntry(
              id,
              Set.of(),
              new LinkSettings(Duration.ofSeconds(30), Duration.ofSeconds(90)),
              Optional.empty()));
    }
    Duration credentials = Duration.between(t0, Instant.now());
    try (agents) {
      Instant start = Instant.now();
      agents.start();
      agents.report(1);
      await()
          .atMost(Duration.ofMinutes(6))
          .until(() -> agents.connected() == AGENTS && allDurable(agents, sink, 1));
      Duration firstConnect = Duration.between(start, Instant.now());

      Instant stopped = Instant.now();
      gateway.close();
      agents.report(2); // queued in each outbox while the hub is down
      // a stream the closing server did not end cleanly is noticed by the keepalive (30 s + 10 s)
      await().atMost(Duration.ofSeconds(90)).until(() -> agents.connected() == 0);
      Duration allNoticed = Duration.between(stopped, Instant.now());
      Thread.sleep(DOWN.toMillis()); // the outage's length is the fault itself, not a wait
      agents.hellos.clear();
      Instant restart = Instant.now();
      gateway =
          builder
              .connectivity(new ConnectivityTracker(Clock.systemUTC()))
              .bind("127.0.0.1", port)
              .start();
      try {
        await()
            .atMost(Duration.ofMinutes(5))
            .until(() -> agents.connected() == AGENTS && allDurable(agents, sink, 2));
        Duration allBack = Duration.between(restart, Instant.now());

        // I3: every item each agent produced is durable on the hub, and its outbox is empty
        for (int i = 0; i < AGENTS; i++) {
          assertThat(sink.appliedUpTo(agents.ids.get(i)))
              .as("hub's record of " + agents.ids.get(i))
              .isEqualTo(agents.outboxes.get(i).lastNumber());
          assertThat(agents.outboxes.get(i).depth()).as(agents.ids.get(i).toString()).isZero();
        }
        // every agent said hello again after the restart
        Map<Integer, Instant> firstHello = new TreeMap<>();
        for (StormAgents.Hello h : agents.hellos) {
          firstHello.merge(h.agent(), h.at(), (a, b) -> a.isBefore(b) ? a : b);
        }
        assertThat(firstHello).hasSize(AGENTS);
        List<Long> delays = new ArrayList<>();
        firstHello.values().forEach(at -> delays.add(Duration.between(restart, at).toMillis()));
        delays.sort(Long::compare);
        TreeMap<Long, Integer> histogram = new TreeMap<>();
        delays.forEach(d -> histogram.merge(d / BUCKET_MS, 1, Integer::sum));
        TreeMap<Long, Integer> perSecond = new TreeMap<>();
        delays.forEach(d -> perSecond.merge(d / 1000, 1, Integer::sum));
        int peak = perSecond.values().stream().max(Integer::compare).orElse(0);
        // the backoff spread the reconnects: they did not all arrive in one instant
        assertThat(histogram.size())
            .as("reconnects fall into more than one %d ms bucket: %s", BUCKET_MS, histogram)
            .isGreaterThan(1);
        report(credentials, firstConnect, allNoticed, allBack, delays, histogram, peak);
      } finally {
        gateway.close();
      }
    }
  }

  /**
   * A replica failover: two gateways share the CA, the cluster directory and the durable store (as
   * two hub replicas share the API server); N agents reach them through one address (a Service:
   * here a proxy) and all stream to replica A. A is killed without a graceful shutdown (its
   * connections reset, the Service sends new ones to B) while every agent queues one more evidence
   * item. Every agent must be back on B with its outbox acknowledged (I3); the time to move and the
   * ended streams the agents saw are recorded in {@code target/replica-failover.md}.
   */
  @Test
  @Timeout(900)
  void everyAgentOfAKilledReplicaMovesToTheSurvivor(@TempDir Path outboxes) throws Exception {
    HubCa ca = HubCa.loadOrCreate(new InMemoryCaStore(), Clock.systemUTC());
    BootstrapTokens tokens = new BootstrapTokens(new InMemoryTokenStore(), Clock.systemUTC());
    InMemoryClusterDirectory directory = new InMemoryClusterDirectory();
    DurableSink sink = new DurableSink();
    // -Dkapro.failover.maxHandshakes=2147483647 measures the gateway without its handshake bound
    int maxHandshakes = Integer.getInteger("kapro.failover.maxHandshakes", 128);
    Gateway a =
        Gateway.builder()
            .ca(ca)
            .tokens(tokens)
            .directory(directory)
            .sink(sink)
            .connectivity(new ConnectivityTracker(Clock.systemUTC()))
            .maxHandshakes(maxHandshakes)
            .start();
    Gateway b =
        Gateway.builder()
            .ca(ca)
            .tokens(tokens)
            .directory(directory)
            .sink(sink)
            .connectivity(new ConnectivityTracker(Clock.systemUTC()))
            .maxHandshakes(maxHandshakes)
            .start();
    FaultProxy service = FaultProxy.start("127.0.0.1", a.port());
    StormAgents agents = new StormAgents(ca, AGENTS, service.port(), outboxes, "failover");
    for (ClusterId id : agents.ids) {
      directory.put(
          new ClusterEntry(
              id,
              Set.of(),
              new LinkSettings(Duration.ofSeconds(30), Duration.ofSeconds(90)),
              Optional.empty()));
    }
    try (agents;
        service;
        b) {
      agents.start();
      agents.report(1);
      Instant start = Instant.now();
      await()
          .atMost(Duration.ofMinutes(6))
          .until(() -> agents.connected() == AGENTS && allDurable(agents, sink, 1));
      Duration firstConnect = Duration.between(start, Instant.now());
      long refusedBefore = a.handshakesRefused();
      assertThat(agents.ids).allSatisfy(id -> assertThat(a.openStreams(id)).isOne());
      agents.hellos.clear();
      agents.ended.clear();

      service.retarget(b.port()); // the endpoint leaves the Service
      Instant killed = Instant.now();
      service.resetOpen(); // the process dies: its kernel resets every connection
      a.close();
      agents.report(2); // queued in each outbox while it moves
      await()
          .atMost(Duration.ofMinutes(5))
          .until(() -> agents.connected() == AGENTS && allDurable(agents, sink, 2));
      Duration allMoved = Duration.between(killed, Instant.now());

      assertThat(agents.ids)
          .as("every agent streams to the survivor")
          .allSatisfy(id -> assertThat(b.openStreams(id)).isOne());
      for (int i = 0; i < AGENTS; i++) {
        assertThat(sink.appliedUpTo(agents.ids.get(i)))
            .as("hub's record of " + agents.ids.get(i))
            .isEqualTo(agents.outboxes.get(i).lastNumber());
        assertThat(agents.outboxes.get(i).depth()).as(agents.ids.get(i).toString()).isZero();
      }
      Map<Integer, Instant> firstHello = new TreeMap<>();
      for (StormAgents.Hello h : agents.hellos) {
        firstHello.merge(h.agent(), h.at(), (x, y) -> x.isBefore(y) ? x : y);
      }
      assertThat(firstHello).hasSize(AGENTS);
      List<Long> delays = new ArrayList<>();
      firstHello.values().forEach(at -> delays.add(Duration.between(killed, at).toMillis()));
      delays.sort(Long::compare);
      String line =
          String.format(
              Locale.ROOT,
              "replica failover: %d agents (handshake limit %d; first connect of all %d ms, %d"
                  + " refused); on the killed replica; all on the survivor with their evidence"
                  + " durable after %d ms (first hello p50 %d ms, p95 %d ms, max %d ms); %d"
                  + " connections refused before their handshake by the survivor; streams ended"
                  + " meanwhile: %s%n",
              AGENTS,
              maxHandshakes,
              firstConnect.toMillis(),
              refusedBefore,
              allMoved.toMillis(),
              delays.get(delays.size() / 2),
              delays.get((int) Math.min(delays.size() - 1, Math.round(delays.size() * 0.95))),
              delays.getLast(),
              b.handshakesRefused(),
              new TreeMap<>(agents.ended));
      System.out.println(line);
      java.nio.file.Path file = java.nio.file.Path.of("target", "replica-failover.md");
      java.nio.file.Files.createDirectories(file.getParent());
      java.nio.file.Files.writeString(file, line);
    }
  }

  private static boolean allDurable(StormAgents agents, DurableSink sink, long upTo) {
    for (ClusterId id : agents.ids) {
      if (sink.appliedUpTo(id) < upTo) {
        return false;
      }
    }
    return true;
  }

  private static void report(
      Duration credentials,
      Duration firstConnect,
      Duration allNoticed,
      Duration allBack,
      List<Long> delays,
      TreeMap<Long, Integer> histogram,
      int peak) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "reconnect storm: %d agents, hub down %d s; certificates %d ms; first connect of all"
                + " (all starting at once) %d ms; all saw the hub go in %d ms; after the restart all"
                + " back in %d ms (p50 %d ms, p95 %d ms, max %d ms); peak %d hellos/s%n",
            AGENTS,
            DOWN.toSeconds(),
            credentials.toMillis(),
            firstConnect.toMillis(),
            allNoticed.toMillis(),
            allBack.toMillis(),
            delays.get(delays.size() / 2),
            delays.get((int) Math.min(delays.size() - 1, Math.round(delays.size() * 0.95))),
            delays.getLast(),
            peak));
    sb.append("| reconnected after the restart (ms) | agents | |\n|---|---|---|\n");
    int max = histogram.values().stream().max(Integer::compare).orElse(1);
    for (var e : histogram.entrySet()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %d–%d | %d | %s |%n",
              e.getKey() * BUCKET_MS,
              (e.getKey() + 1) * BUCKET_MS,
              e.getValue(),
              "#".repeat((int) Math.max(1, Math.round(40.0 * e.getValue() / max)))));
    }
    System.out.println(sb);
    try {
      java.nio.file.Path file = java.nio.file.Path.of("target", "reconnect-storm.md");
      java.nio.file.Files.createDirectories(file.getParent());
      java.nio.file.Files.writeString(file, sb.toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
