package io.kapro.e2e.bench;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 21's stream benchmarks: the hub as its own process ({@link HubProcess}) against the local
 * API server in this JVM holding {@code n} Clusters, and {@code n} connected agents from the {@link
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

  private HubStreams() {}

  static Map<String, Object> run(
      Path dir, int n, Duration heartbeat, Duration idle, Duration ingest) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> generator = new LinkedHashMap<>();
    long s0 = System.nanoTime();
    try (LocalKubeApi api = LocalKubeApi.start();
        KubernetesClient client = api.newClient(HubWorld.NS)) {
      HubScale.populate(client, n, false);
      List<String> names = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        names.add(HubWorld.clusterName(i));
      }
      out.put("streams", n);
      out.put("populateSeconds", Stats.round((System.nanoTime() - s0) / 1e9));
      Path kubeconfig = api.writeKubeconfig(dir.resolve("streams.kubeconfig"), HubWorld.NS);
      LoadFleet load;
      try (HubProcess hub =
          HubProcess.start(kubeconfig, dir.resolve("hub-streams.log"), Duration.ofMinutes(5))) {
        long h0 = System.nanoTime();
        double[] busy = hub.awaitQuiet(Duration.ofMinutes(6));
        out.put("hubStartedSeconds", hub.startedSeconds);
        out.put(
            "hubStartupWorkSeconds",
            Stats.round(hub.startedSeconds + (System.nanoTime() - h0) / 1e9));
        out.put("hubStartupWorkDone", busy[1] > 0);
        out.put("hubJvm", hub.jvm());
        HubCa ca =
            HubCa.loadOrCreate(
                new SecretCaStore(api.client(), HubWorld.HUB_NS, "kapro-hub-ca"),
                Clock.systemUTC());
        long k0 = System.nanoTime();
        load = new LoadFleet(ca, HubWorld.NS, names);
        generator.put("streams", n);
        generator.put("certificatesSeconds", Stats.round((System.nanoTime() - k0) / 1e9));
        out.put("setupSeconds", Stats.round((System.nanoTime() - s0) / 1e9));
        try {
          measureHub(out, generator, api, hub, load, n, heartbeat, idle, ingest);
        } catch (Exception | AssertionError e) {
          load.close();
          throw e;
        }
      }
      // baseline: the same agents, certificates and messages against a bare gRPC echo
      try (load;
          EchoProcess echo = EchoProcess.start(kubeconfig, dir.resolve("echo.log"))) {
        long t0 = System.nanoTime();
        load.connect(echo.port);
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
        @SuppressWarnings("unchecked")
        Map<String, Object> ingestion = (Map<String, Object>) out.get("ingestion");
        double hubRate = ((Number) ingestion.get("perSecond")).doubleValue();
        double bareRate = ((Number) bare.get("perSecond")).doubleValue();
        ingestion.put("ratioHubToEcho", bareRate == 0 ? null : Stats.round(hubRate / bareRate));
        load.disconnect();
      }
      out.put("loadGenerator", generator);
      out.put("totalSeconds", Stats.round((System.nanoTime() - s0) / 1e9));
      return out;
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
    Map<String, Long> c0 = api.requests().snapshot();
    long t0 = System.nanoTime();
    load.connect(hub.gatewayPort);
    await()
        .atMost(Duration.ofSeconds(60).plus(Duration.ofMillis(30L * n)))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> hub.connected() >= n);
    double connectSeconds = Stats.round((System.nanoTime() - t0) / 1e9);
    // what the connects set off (Leases, Cluster status) may still be in flight: wait until the
    // hub is quiet again, so the requests counted here are those of the connects
    double[] busy = hub.awaitQuiet(Duration.ofMinutes(3));
    Map<String, Long> connectCounts = ApiRequestCounts.delta(c0, api.requests().snapshot());
    Map<String, Object> connect = new LinkedHashMap<>();
    connect.put("agents", n);
    connect.put("seconds", connectSeconds);
    connect.put("quietAfterSeconds", Stats.round((System.nanoTime() - t0) / 1e9));
    connect.put("hubQuietAfterConnects", busy[1] > 0);
    long connectRequests = ApiRequestCounts.total(connectCounts);
    connect.put("apiRequests", connectRequests);
    connect.put("apiRequestsPerConnect", Stats.round((double) connectRequests / n));
    connect.put(
        "apiWritesPerConnect", Stats.round((double) ApiRequestCounts.writes(connectCounts) / n));
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

    load.heartbeatEvery(heartbeat);
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

  private static long usedHeapAfterGc() {
    System.gc(); // a measurement point, not a wait
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
