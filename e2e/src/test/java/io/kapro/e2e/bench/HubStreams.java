package io.kapro.e2e.bench;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 21's stream benchmarks: one hub ({@link HubWorld}, {@code n} Clusters) and {@code n}
 * connected agents from the {@link LoadFleet}. Measures how long until all {@code n} streams are
 * open (the hub's {@code kapro_agents_connected}) and the API requests that took; the API requests
 * per connected cluster-hour while the agents only heartbeat; and evidence ingestion at {@code n}
 * streams ({@link Ingestion}, closed loop) with API requests per acked message. Request counts are
 * the local API server's and do not depend on the machine's load.
 */
final class HubStreams {
  private static final Logger LOG = LoggerFactory.getLogger(HubStreams.class);
  private static final Pattern CONNECTED =
      Pattern.compile("^kapro_agents_connected(?:\\{[^}]*\\})? ([0-9.eE+]+)$", Pattern.MULTILINE);

  private HubStreams() {}

  static Map<String, Object> run(int n, Duration heartbeat, Duration idle, Duration ingest)
      throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    long s0 = System.nanoTime();
    try (HubWorld world = new HubWorld(n);
        LoadFleet load = new LoadFleet(world.ca(), HubWorld.NS, world.clusters);
        HttpClient http = HttpClient.newHttpClient()) {
      out.put("streams", n);
      out.put("setupSeconds", Stats.round((System.nanoTime() - s0) / 1e9));
      URI metrics = URI.create("http://127.0.0.1:" + world.hub.httpPort() + "/metrics");

      long heap0 = usedHeapAfterGc();
      int r0 = world.api.requestCount();
      long t0 = System.nanoTime();
      load.connect(world.hub.gatewayPort());
      await()
          .atMost(Duration.ofSeconds(60).plus(Duration.ofMillis(20L * n)))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> connected(http, metrics) >= n);
      int connectRequests = world.api.requestCount() - r0;
      Map<String, Object> connect = new LinkedHashMap<>();
      connect.put("agents", n);
      connect.put("seconds", Stats.round((System.nanoTime() - t0) / 1e9));
      connect.put("apiRequests", connectRequests);
      connect.put("apiRequestsPerConnect", Stats.round((double) connectRequests / n));
      // both ends of every stream live in this JVM: the agent's channel and the hub's session
      connect.put(
          "heapKiBPerStreamBothEnds", Stats.round((usedHeapAfterGc() - heap0) / 1024.0 / n));
      out.put("connect", connect);
      LOG.info("streams: {} connected: {}", n, connect);

      load.heartbeatEvery(heartbeat);
      int r1 = world.api.requestCount();
      long i0 = System.nanoTime();
      TimeUnit.NANOSECONDS.sleep(idle.toNanos()); // the idle window itself
      double seconds = (System.nanoTime() - i0) / 1e9;
      int idleRequests = world.api.requestCount() - r1;
      Map<String, Object> quiet = new LinkedHashMap<>();
      quiet.put("agents", n);
      quiet.put("seconds", Stats.round(seconds));
      quiet.put("heartbeatSeconds", heartbeat.toSeconds());
      quiet.put("stillConnected", connected(http, metrics));
      quiet.put("apiRequests", idleRequests);
      quiet.put(
          "apiRequestsPerClusterHour", Stats.round(idleRequests / (double) n * 3600 / seconds));
      out.put("idle", quiet);
      LOG.info("streams: idle {}", quiet);

      Ingestion.measure(load.agents, Duration.ofSeconds(1)); // warm-up, discarded
      int r2 = world.api.requestCount();
      Map<String, Object> ingestion = Ingestion.measure(load.agents, ingest);
      int requests = world.api.requestCount() - r2;
      ingestion.put("apiRequests", requests);
      long acked = ((Number) ingestion.get("acked")).longValue();
      ingestion.put(
          "apiRequestsPerAckedMessage", acked == 0 ? null : Stats.round((double) requests / acked));
      out.put("ingestion", ingestion);
      LOG.info("streams: ingestion {}", ingestion);

      // baseline: the same agents, streams and messages against a bare gRPC echo
      load.disconnect();
      try (EchoGateway echo = new EchoGateway(world.ca())) {
        load.connect(echo.port());
        Ingestion.measure(load.agents, Duration.ofSeconds(1)); // warm-up (TLS handshakes)
        Map<String, Object> bare = Ingestion.measure(load.agents, ingest);
        out.put("ingestionBareEcho", bare);
        double hubRate = ((Number) ingestion.get("perSecond")).doubleValue();
        double bareRate = ((Number) bare.get("perSecond")).doubleValue();
        ingestion.put("ratioHubToEcho", bareRate == 0 ? null : Stats.round(hubRate / bareRate));
        load.disconnect();
      }
      out.put("totalSeconds", Stats.round((System.nanoTime() - s0) / 1e9));
      return out;
    }
  }

  /**
   * The load generator alone at {@code n} streams against the bare gRPC echo (no hub, no API
   * server): how long until every agent's first evidence message is acked (TLS handshakes
   * included), the heap per stream with both ends in this JVM, and ingestion at {@code n} streams.
   * Shows what the generator itself costs, so that a hub figure at {@code n} measures the hub.
   */
  static Map<String, Object> generatorAlone(int n, Duration ingest) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    io.kapro.hub.ca.HubCa ca =
        io.kapro.hub.ca.HubCa.loadOrCreate(
            new io.kapro.hub.ca.InMemoryCaStore(), java.time.Clock.systemUTC());
    java.util.List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add(HubWorld.clusterName(i));
    }
    long s0 = System.nanoTime();
    try (LoadFleet load = new LoadFleet(ca, HubWorld.NS, names);
        EchoGateway echo = new EchoGateway(ca)) {
      out.put("streams", n);
      out.put("certificatesSeconds", Stats.round((System.nanoTime() - s0) / 1e9));
      long heap0 = usedHeapAfterGc();
      long t0 = System.nanoTime();
      load.connect(echo.port());
      java.util.concurrent.CountDownLatch first = new java.util.concurrent.CountDownLatch(n);
      for (SimAgent a : load.agents) {
        java.util.concurrent.atomic.AtomicBoolean once =
            new java.util.concurrent.atomic.AtomicBoolean();
        a.sendEvidence(
            upTo -> {
              if (once.compareAndSet(false, true)) {
                first.countDown();
              }
            });
      }
      boolean all = first.await(Math.max(120, n / 20), TimeUnit.SECONDS);
      out.put("allStreamsAcked", all);
      out.put("connectAndFirstAckSeconds", Stats.round((System.nanoTime() - t0) / 1e9));
      out.put("heapKiBPerStreamBothEnds", Stats.round((usedHeapAfterGc() - heap0) / 1024.0 / n));
      out.put("ingestion", Ingestion.measure(load.agents, ingest));
      Runtime rt = Runtime.getRuntime();
      out.put("jvmMaxHeapMiB", rt.maxMemory() / (1024 * 1024));
      LOG.info("generator alone: {}", out);
      return out;
    }
  }

  private static long usedHeapAfterGc() {
    System.gc(); // a measurement point, not a wait
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** The hub's {@code kapro_agents_connected}, from its Prometheus endpoint. */
  static long connected(HttpClient http, URI metrics) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher m = CONNECTED.matcher(r.body());
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }
}
