package io.kapro.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kapro.agent.config.HealthConfig;
import io.kapro.metrics.testing.LocalPrometheus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's {@code /metrics}, live from its health server, read by Prometheus's own tools: {@code
 * promtool check metrics} (Debian's prometheus 2.42, {@code /usr/bin/promtool}, override with
 * {@code -Dkapro.promtool.binary}) finds nothing to complain about, and a real Prometheus scraping
 * the server on loopback returns every series with the labels (unescaped) and values the agent
 * recorded, and each family's type and help.
 */
class AgentMetricsPrometheusIT {
  static final Duration WAIT = Duration.ofSeconds(90);
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final ObjectMapper json = new ObjectMapper();
  final AgentMetrics metrics = new AgentMetrics(() -> 0L); // a frozen clock: the max stays put
  HealthServer server;

  @BeforeEach
  void start() {
    AgentMetricsExpositionTest.record(metrics);
    server = HealthServer.start(new HealthConfig("127.0.0.1", 0), new Readiness(), metrics);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** What the calls of {@link AgentMetricsExpositionTest#record} must give, series by series. */
  static Map<Map<String, String>, Double> expected() {
    Map<Map<String, String>, Double> e = new HashMap<>();
    e.put(series("kapro_agent_applied_expired"), 1.0);
    e.put(series("kapro_agent_applied_expiry_seconds"), 1765000000.0);
    e.put(series("kapro_agent_applied_sequence"), 12345678901.0);
    e.put(series("kapro_agent_apply_seconds_count"), 3.0);
    e.put(series("kapro_agent_apply_seconds_sum"), 0.150000001);
    e.put(series("kapro_agent_apply_seconds_max"), 0.12);
    e.put(series("kapro_agent_converge_seconds_count"), 1.0);
    e.put(series("kapro_agent_converge_seconds_sum"), 42.0);
    e.put(series("kapro_agent_converge_seconds_max"), 42.0);
    e.put(series("kapro_agent_drift_detected_total"), 3.0);
    e.put(series("kapro_agent_drift_reapplied_total"), 2.0);
    e.put(series("kapro_agent_outbox_depth"), 7.0);
    e.put(series("kapro_agent_owner_conflicts_total"), 1.0);
    e.put(series("kapro_agent_pulls_total", "result", "changed"), 1.0);
    e.put(series("kapro_agent_pulls_total", "result", "error"), 1.0);
    e.put(series("kapro_agent_pulls_total", "result", "unchanged"), 2.0);
    e.put(series("kapro_agent_reconnects_total"), 2.0);
    e.put(series("kapro_agent_regressions_total"), 1.0);
    e.put(series("kapro_agent_state_unreadable"), 1.0);
    String failures = "kapro_agent_verification_failures_total";
    e.put(series(failures, "reason", "UNTRUSTED_KEY"), 2.0);
    e.put(series(failures, "reason", "NOT_ALLOWED"), 1.0);
    // prometheus/docs exposition_formats.md, "Escaping in label values"
    e.put(series(failures, "reason", "C:\\DIR\\FILE.TXT"), 1.0);
    e.put(series(failures, "reason", "Cannot find file:\n\"FILE.TXT\""), 1.0);
    return e;
  }

  static Map<String, String> series(String name, String... labels) {
    Map<String, String> m = new TreeMap<>();
    m.put("__name__", name);
    for (int i = 0; i < labels.length; i += 2) {
      m.put(labels[i], labels[i + 1]);
    }
    return m;
  }

  @Test
  void promtoolFindsNoProblemInTheLiveExposition() throws Exception {
    HttpResponse<String> r = get(URI.create("http://127.0.0.1:" + server.port() + "/metrics"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(promtool(r.body())).isEqualTo(new Promtool(0, ""));
    // the check can fail: an unescaped quote in a label value, and a counter without _total
    assertThat(promtool("a_total{r=\"x\"y\"} 1\n").exit()).isNotZero();
    assertThat(promtool("# HELP a x\n# TYPE a counter\na 1\n").output()).contains("_total");
  }

  @Test
  void aRealPrometheusScrapesEverySeriesWithItsLabelsAndValues() throws Exception {
    try (LocalPrometheus prometheus = LocalPrometheus.start("127.0.0.1:" + server.port())) {
      Map<Map<String, String>, Double> want = expected();
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(query(prometheus, "{__name__=~\"kapro_agent_.+\"}")).isEqualTo(want));
      assertThat(query(prometheus, "up")).containsValue(1.0);
      assertThat(query(prometheus, "scrape_samples_scraped")).containsValue((double) want.size());
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                JsonNode meta = api(prometheus, "/api/v1/metadata");
                assertThat(meta.path("kapro_agent_pulls_total").path(0).path("type").asText())
                    .isEqualTo("counter");
                assertThat(meta.path("kapro_agent_pulls_total").path(0).path("help").asText())
                    .isEqualTo("Polls of the bundle source");
                assertThat(meta.path("kapro_agent_apply_seconds").path(0).path("type").asText())
                    .isEqualTo("summary");
                assertThat(meta.path("kapro_agent_apply_seconds_max").path(0).path("type").asText())
                    .isEqualTo("gauge");
                assertThat(meta.path("kapro_agent_outbox_depth").path(0).path("type").asText())
                    .isEqualTo("gauge");
              });
    }
  }

  record Promtool(int exit, String output) {}

  static Promtool promtool(String exposition) throws IOException, InterruptedException {
    String bin = System.getProperty("kapro.promtool.binary", "/usr/bin/promtool");
    if (!Files.isExecutable(Path.of(bin))) {
      throw new IllegalStateException(
          bin
              + " not found: install Prometheus (apt-get install prometheus) or set"
              + " -Dkapro.promtool.binary");
    }
    Process p = new ProcessBuilder(bin, "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("promtool did not finish within 60 s");
    }
    return new Promtool(p.exitValue(), out);
  }

  /** An instant query: each series (labels, {@code job} and {@code instance} left out) → value. */
  Map<Map<String, String>, Double> query(LocalPrometheus prometheus, String promql)
      throws Exception {
    JsonNode data =
        api(prometheus, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    Map<Map<String, String>, Double> got = new HashMap<>();
    for (JsonNode s : data.path("result")) {
      Map<String, String> labels = new TreeMap<>();
      s.path("metric")
          .properties()
          .forEach(
              e -> {
                if (!List.of("job", "instance").contains(e.getKey())) {
                  labels.put(e.getKey(), e.getValue().asText());
                }
              });
      got.put(labels, Double.valueOf(s.path("value").path(1).asText()));
    }
    return got;
  }

  JsonNode api(LocalPrometheus prometheus, String path) throws Exception {
    HttpResponse<String> r = get(URI.create(prometheus.url() + path));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = json.readTree(r.body());
    assertThat(body.path("status").asText()).as(r.body()).isEqualTo("success");
    return body.path("data");
  }

  HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
