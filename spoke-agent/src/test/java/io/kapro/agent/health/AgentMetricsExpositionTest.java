package io.kapro.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The agent's exposition is the one Micrometer's Prometheus registry wrote before (issue 22). The
 * reference files {@code micrometer-1.17.2/empty.txt} and {@code recorded.txt} are the output of
 * {@code PrometheusMeterRegistry.scrape()} (micrometer-registry-prometheus 1.17.2 on
 * prometheus-metrics 1.7.0) behind the Micrometer {@code AgentMetrics} of main at commit 1caff28,
 * for a new instance and after exactly the calls {@link #record} makes. Escaping cases: the label
 * values of the example in prometheus/docs {@code content/docs/instrumenting/exposition_formats.md}
 * (commit 005490b8f7f8decd77d847a6b90706272f7ad978, "Escaping in label values"), and the HELP case
 * of prometheus/client_python {@code tests/test_client.py} {@code test_escaping} (pull request 15).
 */
class AgentMetricsExpositionTest {
  final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
  final AgentMetrics metrics = new AgentMetrics(nanos::get);

  static String reference(String name) throws IOException {
    try (InputStream in =
        AgentMetricsExpositionTest.class.getResourceAsStream("micrometer-1.17.2/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The calls behind {@code recorded.txt}. */
  static void record(AgentMetrics m) {
    m.pull("changed");
    m.pull("unchanged");
    m.pull("unchanged");
    m.pull("error");
    m.verificationFailure("UNTRUSTED_KEY");
    m.verificationFailure("NOT_ALLOWED");
    m.verificationFailure("UNTRUSTED_KEY");
    m.verificationFailure("C:\\DIR\\FILE.TXT");
    m.verificationFailure("Cannot find file:\n\"FILE.TXT\"");
    m.recordApply(Duration.ofMillis(120));
    m.recordApply(Duration.ofMillis(30));
    m.recordApply(Duration.ofNanos(1));
    m.recordConverge(Duration.ofSeconds(42));
    m.reconnect();
    m.reconnect();
    m.regression();
    m.driftDetected(3);
    m.driftReapplied(2);
    m.ownerConflict();
    m.outboxDepth(() -> 7);
    m.appliedSequence(12345678901L);
    m.appliedExpiry(Instant.ofEpochSecond(1765000000L), true);
    m.stateUnreadable(true);
  }

  @Test
  void aNewAgentExposesWhatMicrometerExposedByteForByte() throws IOException {
    assertThat(metrics.scrape()).isEqualTo(reference("empty.txt"));
  }

  @Test
  void afterTheSameCallsTheExpositionIsMicrometersByteForByte() throws IOException {
    record(metrics);
    assertThat(metrics.scrape()).isEqualTo(reference("recorded.txt"));
    assertThat(metrics.driftReappliedCount()).isEqualTo(2.0);
  }

  @Test
  void labelValuesAreEscapedAsTheFormatDocumentsIt() {
    // prometheus/docs exposition_formats.md:
    // msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",
    // error="Cannot find file:\n\"FILE.TXT\""}
    assertThat(Exposition.labels("path", "C:\\DIR\\FILE.TXT"))
        .isEqualTo("{path=\"C:\\\\DIR\\\\FILE.TXT\"}");
    assertThat(Exposition.labels("error", "Cannot find file:\n\"FILE.TXT\""))
        .isEqualTo("{error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"}");
    // prometheus/client_python test_escaping: label value \x<LF>" -> "\\x\n\""
    assertThat(Exposition.labels("a", "\\x\n\"")).isEqualTo("{a=\"\\\\x\\n\\\"\"}");
    assertThatThrownBy(() -> Exposition.labels("__name", "x"))
        .hasMessageContaining("not a Prometheus label name");
    assertThatThrownBy(() -> Exposition.labels("a-b", "x"))
        .hasMessageContaining("not a Prometheus label name");
  }

  @Test
  void helpEscapesBackslashAndLineFeedButNotQuotes() {
    // prometheus/client_python test_escaping: HELP 'A\ncount\\er' is written A\\ncount\\\\er
    StringBuilder out = new StringBuilder();
    Exposition.header(out, "cc", "A\ncount\\er \"q\"", "counter");
    assertThat(out.toString()).isEqualTo("# HELP cc A\\ncount\\\\er \"q\"\n# TYPE cc counter\n");
  }

  @Test
  void valuesAreWrittenAsGoParsesThem() {
    StringBuilder out = new StringBuilder();
    Exposition.sample(out, "x", "", Double.POSITIVE_INFINITY);
    Exposition.sample(out, "x", "", Double.NEGATIVE_INFINITY);
    Exposition.sample(out, "x", "", Double.NaN);
    Exposition.sample(out, "x", "", 1.458255915e9);
    Exposition.sample(out, "x", "", 12.47);
    assertThat(out.toString()).isEqualTo("x +Inf\nx -Inf\nx NaN\nx 1.458255915E9\nx 12.47\n");
  }

  @Test
  void metricNamesAreChecked() {
    assertThat(Exposition.validMetricName("kapro_agent_pulls_total")).isTrue();
    assertThat(Exposition.validMetricName("a:b_c")).isTrue();
    assertThat(Exposition.validMetricName("1abc")).isFalse();
    assertThat(Exposition.validMetricName("kapro.agent")).isFalse();
    assertThat(Exposition.validMetricName("")).isFalse();
    MetricsRegistry r = new MetricsRegistry(nanos::get);
    assertThatThrownBy(() -> r.gauge("kapro.agent", "x", () -> 0))
        .hasMessageContaining("kapro.agent");
    r.gauge("g", "x", () -> 0);
    assertThatThrownBy(() -> r.gauge("g", "x", () -> 0)).hasMessageContaining("registered twice");
  }

  @Test
  void aTimersMaxIsTheLongestOfTheLastTwoMinutesAsMicrometerReportsIt() {
    metrics.recordApply(Duration.ofMillis(120));
    advance(Duration.ofSeconds(79));
    assertThat(metrics.scrape()).contains("kapro_agent_apply_seconds_max 0.12\n");
    metrics.recordApply(Duration.ofMillis(50));
    advance(Duration.ofSeconds(41)); // 120 s after the first: it has aged out
    assertThat(metrics.scrape())
        .contains("kapro_agent_apply_seconds_max 0.05\n")
        .contains("kapro_agent_apply_seconds_count 2\n")
        .contains("kapro_agent_apply_seconds_sum 0.17\n");
    advance(Duration.ofMinutes(10)); // long idle: nothing recently
    assertThat(metrics.scrape())
        .contains("kapro_agent_apply_seconds_max 0.0\n")
        .contains("kapro_agent_apply_seconds_count 2\n");
    metrics.recordApply(
        Duration.ofSeconds(-1)); // a clock stepped back: ignored, as Micrometer does
    assertThat(metrics.scrape()).contains("kapro_agent_apply_seconds_count 2\n");
  }

  @Test
  void aSampleStaysInTheMaxForAtLeastTwoThirdsOfTheWindow() {
    advance(Duration.ofSeconds(39)); // just before the first step
    metrics.recordConverge(Duration.ofSeconds(3));
    advance(Duration.ofSeconds(80));
    assertThat(metrics.scrape()).contains("kapro_agent_converge_seconds_max 3.0\n");
    advance(Duration.ofSeconds(2));
    assertThat(metrics.scrape()).contains("kapro_agent_converge_seconds_max 0.0\n");
  }

  @Test
  void unknownPullResultsAreRefusedAndLabelValuesAreBounded() {
    assertThatThrownBy(() -> metrics.pull("maybe")).isInstanceOf(IllegalArgumentException.class);
    for (int i = 0; i < Counter.MAX_CHILDREN + 10; i++) {
      metrics.verificationFailure("R" + i);
    }
    String text = metrics.scrape();
    assertThat(text.lines().filter(l -> l.startsWith("kapro_agent_verification_failures_total{")))
        .hasSize(Counter.MAX_CHILDREN);
    assertThatThrownBy(() -> metrics.driftDetected(-1)).hasMessageContaining("only goes up");
  }

  @Test
  void concurrentRecordingLosesNothing() throws Exception {
    int threads = 8;
    int each = 5_000;
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        int id = t;
        pool.submit(
            () -> {
              go.await();
              for (int i = 0; i < each; i++) {
                metrics.pull("unchanged");
                metrics.verificationFailure("R" + (i % 3));
                metrics.recordApply(Duration.ofNanos(id + 1));
                if (i % 500 == 0) {
                  metrics.scrape();
                }
              }
              return null;
            });
      }
      go.countDown();
    }
    String text = metrics.scrape();
    double total = threads * each;
    assertThat(text)
        .contains("kapro_agent_pulls_total{result=\"unchanged\"} " + total + "\n")
        .contains("kapro_agent_apply_seconds_count " + (threads * each) + "\n")
        .contains("kapro_agent_apply_seconds_max " + (threads / 1e9) + "\n");
    double r0 = text.lines().filter(l -> l.contains("reason=\"R0\"")).count();
    assertThat(r0).isEqualTo(1);
  }

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }
}
