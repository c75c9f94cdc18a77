package io.kapro.e2e.bench;

import static io.kapro.e2e.bench.BenchReport.map;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.testing.ApiRequestCounts;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.hub.ca.HubCa;
import io.kapro.hub.ca.SecretCaStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 21's hub benchmarks: the hub as its own process ({@link HubProcess}) against the local API
 * server in this JVM holding {@code n} Clusters, and {@code n} connected agents from the {@link
 * LoadFleet} in this JVM. The hub's end of every stream is in its process, the agents' ends in this
 * one (each loopback stream costs a file descriptor at each end; one process may hold 20,000 here).
 * Measures the hub's start-up with {@code n} Clusters; how long until all {@code n} streams are
 * open (the hub's {@code kapro_agents_connected}) and the API requests that took; the hub's heap
 * after a full GC before and after (measured in its process); the API requests per connected
 * cluster-hour while the agents only heartbeat; and evidence ingestion at {@code n} streams ({@link
 * Ingestion}, closed loop) with API requests per acked message, against the same agents connected
 * to a bare gRPC echo ({@link EchoProcess}, its own process too). Request counts are the local API
 * server's, by verb and resource, and do not depend on the machine's load.
 */
final class HubStreams {
  private static final Logger LOG = LoggerFactory.getLogger(HubStreams.class);

  /** Heap per stream is only reported from this many streams on (below, GC noise dominates). */
  static final int HEAP_PER_STREAM_FROM = 1000;

  /** Connections being set up at a time by the load generator. */
  static final int IN_FLIGHT = 100;

  /** The time allowed for all streams to open: a minute plus this much per agent. */
  static final long CONNECT_MILLIS_PER_AGENT = 36;

  private HubStreams() {}

  /**
   * {@code clusters} Clusters (each with a Published Target when {@code withTargets}); the hub's
   * figures ({@link HubScale#measure}, idle for {@code hubIdle}) under {@code hub}; then {@code n}
   * of them connect.
   */
  static Map<String, Object> run(
      Path dir,
      int clusters,
      boolean withTargets,
      Duration hubIdle,
      int n,
      Duration heartbeat,
      Duration idle,
      Duration ingest)
      throws Exception {
    if (n > clusters) {
      throw new IllegalArgumentException(
          "-Dkapro.bench.streams ("
              + n
              + ") must not exceed -Dkapro.bench.hubClusters ("
              + clusters
              + "): every agent needs its Cluster");
    }
    Map<String, Object> out = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    Map<String, Object> generator = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    long s0 = System.nanoTime();
    try (LocalKubeApi api = LocalKubeApi.start();
        KubernetesClient client = api.newClient(HubWorld.NS)) {
      HubScale.populate(client, clusters, withTargets);
      List<String> names = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        names.add(HubWorld.clusterName(i));
      }
      Map<String, Object> hubFigures = new LinkedHashMap<>();
      hubFigures.put("clusters", clusters);
      hubFigures.put("targets", withTargets ? clusters : 0);
      hubFigures.put("populateSeconds", Stats.round((System.nanoTime() - s0) / 1e9));
      out.put("hub", hubFigures);
      out.put("streams", n);
      Path kubeconfig = api.writeKubeconfig(dir.resolve("streams.kubeconfig"), HubWorld.NS);
      // the hub's CA, made where the hub loads it from (as a restarted hub finds it): the agents'
      // certificates are issued and the echo baseline runs while the hub starts
      HubCa ca =
          HubCa.loadOrCreate(
              new SecretCaStore(api.client(), HubWorld.HUB_NS, "kapro-hub-ca"), Clock.systemUTC());
      generator.put("streams", n);
      try (ExecutorService side = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<LoadFleet> baseline =
            side.submit(() -> echoBaseline(dir, kubeconfig, ca, names, ingest, out, generator));
        long h0 = System.nanoTime();
        try (HubProcess hub =
            HubProcess.start(kubeconfig, dir.resolve("hub-streams.log"), Duration.ofMinutes(5))) {
          hubFigures.putAll(HubScale.measure(hub, h0, hubIdle));
          out.put("hubJvm", hub.jvm());
          try (LoadFleet load = baseline.get()) {
            out.put("setupSeconds", Stats.round((System.nanoTime() - s0) / 1e9));
            measureHub(out, generator, api, hub, load, n, heartbeat, idle, ingest);
          }
        } finally {
          baseline.cancel(true);
        }
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> ingestion = (Map<String, Object>) out.get("ingestion");
      double hubRate = ((Number) ingestion.get("perSecond")).doubleValue();
      double bareRate = ((Number) map(out, "ingestionBareEcho").get("perSecond")).doubleValue();
      // four decimals: at 10,000 streams the ratio can be far below 0.1
      ingestion.put(
          "ratioHubToEcho",
          bareRate == 0 ? null : Math.round(hubRate / bareRate * 10_000) / 10_000.0);
      out.put("loadGenerator", generator);
      out.put("totalSeconds", Stats.round((System.nanoTime() - s0) / 1e9));
      return out;
    }
  }

  /**
   * The baseline, while the hub starts: issues every agent's key and certificate, connects them to
   * a bare gRPC echo in its own process, waits for every stream's first ack and measures ingestion;
   * returns the disconnected load generator (certificates kept) for the hub.
   */
  private static LoadFleet echoBaseline(
      Path dir,
      Path kubeconfig,
      HubCa ca,
      List<String> names,
      Duration ingest,
      Map<String, Object> out,
      Map<String, Object> generator)
      throws Exception {
    int n = names.size();
    long k0 = System.nanoTime();
    LoadFleet load = new LoadFleet(ca, HubWorld.NS, names);
    try (EchoProcess echo = EchoProcess.start(kubeconfig, dir.resolve("echo.log"))) {
      generator.put("certificatesSeconds", Stats.round((System.nanoTime() - k0) / 1e9));
      long t0 = System.nanoTime();
      generator.put("echoClientSetupSeconds", load.prepare(echo.port));
      load.connect(IN_FLIGHT, null);
      CountDownLatch first = new CountDownLatch(n);
      for (SimAgent a : load.agents) {
        AtomicBoolean once = new AtomicBoolean();
        a.sendEvidence(
            upTo -> {
              if (once.compareAndSet(false, true)) {
                first.countDown();
              }
            });
      }
      generator.put("allStreamsAcked", first.await(Math.max(120, n / 20), TimeUnit.SECONDS));
      generator.put("connectAndFirstAckSeconds", Stats.round((System.nanoTime() - t0) / 1e9));
      Ingestion.measure(load.agents, Duration.ofSeconds(1)); // warm-up, discarded
      Map<String, Object> bare = Ingestion.measure(load.agents, ingest);
      generator.put("ingestion", bare);
      out.put("ingestionBareEcho", bare);
      LOG.info("streams: bare echo {}", bare);
      load.disconnect();
      return load;
    } catch (Exception | AssertionError e) {
      load.close();
      throw e;
    }
  }

  private static void measureHub(
      Map<String, Object> out,
      Map<String, Object> generator,
      LocalKubeApi api,
      HubProcess hub,
      LoadFleet load,
      int n,
      Duration heartbeat,
      Duration idle,
      Duration ingest)
      throws Exception {
    double hubHeap0 = hub.heapUsedMiB(true);
    long agentsHeap0 = usedHeapAfterGc();
    out.put("hubHeapUsedMiBAfterFullGcBeforeStreams", hubHeap0);
    generator.put("clientSetupSeconds", load.prepare(hub.gatewayPort));
    Map<String, Long> c0 = api.requests().snapshot();
    long t0 = System.nanoTime();
    load.connect(IN_FLIGHT, heartbeat);
    Duration deadline =
        Duration.ofSeconds(60).plus(Duration.ofMillis(CONNECT_MILLIS_PER_AGENT * n));
    boolean all;
    try {
      await()
          .atMost(deadline)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> hub.connected() >= n);
      all = true;
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      all = false; // reported as it is: how many were connected when the time was up
    }
    double connectSeconds = Stats.round((System.nanoTime() - t0) / 1e9);
    long connectedNow = hub.connected();
    // what the connects set off (Leases, Cluster status) may still be in flight: wait until the
    // API requests fall to the idle rate, so the requests counted here are those of the connects
    boolean settled = awaitApiSettled(api, n, Duration.ofSeconds(90));
    Map<String, Long> connectCounts = ApiRequestCounts.delta(c0, api.requests().snapshot());
    Map<String, Object> connect = new LinkedHashMap<>();
    connect.put("agents", n);
    connect.put("allConnected", all);
    connect.put("connected", connectedNow);
    connect.put("seconds", connectSeconds);
    connect.put("perSecond", Stats.round(connectedNow / connectSeconds));
    connect.put("maxInFlight", IN_FLIGHT);
    connect.put("settledAfterSeconds", Stats.round((System.nanoTime() - t0) / 1e9));
    connect.put("apiSettled", settled);
    long connectRequests = ApiRequestCounts.total(connectCounts);
    connect.put("apiRequests", connectRequests);
    connect.put(
        "apiRequestsPerConnect", Stats.round((double) connectRequests / Math.max(1, connectedNow)));
    connect.put(
        "apiWritesPerConnect",
        Stats.round((double) ApiRequestCounts.writes(connectCounts) / Math.max(1, connectedNow)));
    connect.put("apiRequestsByVerbAndResource", connectCounts);
    double hubHeap1 = hub.heapUsedMiB(true);
    long agentsHeap1 = usedHeapAfterGc();
    connect.put("hubHeapUsedMiBAfterFullGc", hubHeap1);
    connect.put("hubRssMiB", hub.rssMiB());
    connect.put("hubOpenFiles", hub.openFiles());
    if (n >= HEAP_PER_STREAM_FROM) {
      connect.put("hubHeapKiBPerStream", Stats.round((hubHeap1 - hubHeap0) * 1024 / n));
      generator.put("heapKiBPerAgent", Stats.round((agentsHeap1 - agentsHeap0) / 1024.0 / n));
    }
    out.put("connect", connect);
    LOG.info("streams: {} connected: {}", n, connect);

    Map<String, Long> i0 = api.requests().snapshot();
    double idleCpu0 = hub.cpuSeconds();
    long it0 = System.nanoTime();
    TimeUnit.NANOSECONDS.sleep(idle.toNanos()); // the idle window itself
    double seconds = (System.nanoTime() - it0) / 1e9;
    Map<String, Long> idleCounts = ApiRequestCounts.delta(i0, api.requests().snapshot());
    Map<String, Object> quiet = new LinkedHashMap<>();
    quiet.put("agents", n);
    quiet.put("seconds", Stats.round(seconds));
    quiet.put("heartbeatSeconds", heartbeat.toSeconds());
    quiet.put("stillConnected", hub.connected());
    quiet.put("apiRequests", ApiRequestCounts.total(idleCounts));
    quiet.put(
        "apiRequestsPerClusterHour",
        Stats.round(ApiRequestCounts.total(idleCounts) / (double) n * 3600 / seconds));
    quiet.put(
        "apiWritesPerClusterHour",
        Stats.round(ApiRequestCounts.writes(idleCounts) / (double) n * 3600 / seconds));
    quiet.put("apiRequestsByVerbAndResource", idleCounts);
    quiet.put("hubCpuSeconds", Stats.round(hub.cpuSeconds() - idleCpu0));
    out.put("idle", quiet);
    LOG.info("streams: idle {}", quiet);

    Ingestion.measure(load.agents, Duration.ofSeconds(1)); // warm-up, discarded
    Map<String, Long> g0 = api.requests().snapshot();
    double cpu0 = hub.cpuSeconds();
    Map<String, Object> ingestion = Ingestion.measure(load.agents, ingest);
    Map<String, Long> ingestCounts = ApiRequestCounts.delta(g0, api.requests().snapshot());
    ingestion.put("hubCpuSeconds", Stats.round(hub.cpuSeconds() - cpu0));
    long requests = ApiRequestCounts.total(ingestCounts);
    ingestion.put("apiRequests", requests);
    long acked = ((Number) ingestion.get("acked")).longValue();
    ingestion.put(
        "apiRequestsPerAckedMessage", acked == 0 ? null : Stats.round((double) requests / acked));
    ingestion.put(
        "apiWritesPerAckedMessage",
        acked == 0 ? null : Stats.round((double) ApiRequestCounts.writes(ingestCounts) / acked));
    ingestion.put("apiRequestsByVerbAndResource", ingestCounts);
    out.put("ingestion", ingestion);
    out.put("hubAlive", hub.process.isAlive());
    LOG.info("streams: ingestion {}", ingestion);
    load.disconnect();
  }

  /**
   * Waits until the API server sees fewer requests a second than one per thousand agents plus ten
   * (the idle hub's own periodic reads) for 3 s in a row; false if {@code max} passed first.
   */
  private static boolean awaitApiSettled(LocalKubeApi api, int n, Duration max)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    int calm = 0;
    long last = api.requestCount();
    while (calm < 3 && System.nanoTime() < deadline) {
      TimeUnit.SECONDS.sleep(1); // sampling the request counter once a second
      long now = api.requestCount();
      calm = now - last < 10 + n / 1000 ? calm + 1 : 0;
      last = now;
    }
    return calm >= 3;
  }

  private static long usedHeapAfterGc() {
    System.gc(); // a measurement point, not a wait
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
