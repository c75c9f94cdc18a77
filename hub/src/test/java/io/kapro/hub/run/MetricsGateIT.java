package io.kapro.hub.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kapro.api.v1alpha2.GateResult;
import io.kapro.api.v1alpha2.GateWhen;
import io.kapro.hub.engine.DesiredVersion;
import io.kapro.hub.engine.EngineDecision;
import io.kapro.hub.gate.GateCheck;
import io.kapro.hub.gate.GateEvaluator;
import io.kapro.hub.gate.Measurement;
import io.kapro.hub.gate.Measurement.Result;
import io.kapro.hub.gate.MetricsObservation;
import io.kapro.hub.gate.Threshold;
import io.kapro.hub.webhook.PrometheusClient;
import io.kapro.metrics.testing.LocalPrometheus;
import io.kapro.metrics.testing.TestExporter;
import io.kapro.oci.sign.Pem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Metrics gate measurements against the real Prometheus ({@code /usr/bin/prometheus} on loopback)
 * scraping a test exporter every second: pass, fail, flapping, no data, query errors, Prometheus
 * down, TLS with basic auth, and the destination guard. Counting follows Argo Rollouts'
 * AnalysisTemplate (argoproj/argo-rollouts docs/features/analysis.md: "failureLimit" failures are
 * tolerated, one more fails; consecutive successes as consecutiveSuccessLimit); an empty result
 * fails as Flagger's "no values found" does (fluxcd/flagger pkg/metrics/providers/prometheus.go).
 */
class MetricsGateIT {
  static TestExporter exporter;
  static LocalPrometheus prometheus;

  @BeforeAll
  static void start() {
    exporter = TestExporter.start();
    prometheus = LocalPrometheus.start(exporter.target());
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (exporter != null) {
      exporter.close();
    }
  }

  static GateCheck.MetricsCheck gate(String address, String query, int successes, int limit) {
    return new GateCheck.MetricsCheck(
        "slo",
        GateWhen.BeforeStage,
        address,
        query,
        new Threshold("<", 0.01),
        Duration.ofSeconds(1),
        successes,
        limit,
        Duration.ofSeconds(5),
        null);
  }

  static final String ERRORS = "error_ratio{cluster=\"{{ cluster }}\"}";

  /** One measurement through the hub's adapter (no Secret: no API server needed). */
  static Measurement measure(GateCheck.MetricsCheck gate, String cluster, List<String> queries) {
    var m =
        new MetricsMeasurements(null, new PrometheusClient(true))
            .measure(
                "team-a",
                new EngineDecision.MeasureMetrics(
                    gate,
                    "web-abc",
                    "prod",
                    cluster,
                    1,
                    List.of(new DesiredVersion("web", "1.2.0"))),
                queries);
    return m;
  }

  static Measurement awaitResult(GateCheck.MetricsCheck gate, String cluster, Result expected) {
    List<Measurement> last = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              Measurement m = measure(gate, cluster, new ArrayList<>());
              last.add(0, m);
              assertThat(m.result()).as(m.message()).isEqualTo(expected);
            });
    return last.getFirst();
  }

  @Test
  void passesWhenEveryValueHoldsAndShowsTheValues() {
    exporter.set("error_ratio{cluster=\"prod-1\"}", 0.001);
    Measurement m = awaitResult(gate(prometheus.url(), ERRORS, 3, 0), "prod-1", Result.Succeeded);
    assertThat(m.values())
        .singleElement()
        .asString()
        .contains("cluster=\"prod-1\"")
        .endsWith("=0.001");
    List<String> queries = new ArrayList<>();
    measure(gate(prometheus.url(), ERRORS, 3, 0), "prod-1", queries);
    assertThat(queries).containsExactly("error_ratio{cluster=\"prod-1\"}");
  }

  @Test
  void failsWhenAValueBreaksTheCondition() {
    exporter.set("error_ratio{cluster=\"prod-2\"}", 0.2);
    Measurement m = awaitResult(gate(prometheus.url(), ERRORS, 3, 0), "prod-2", Result.Failed);
    assertThat(m.message()).startsWith("1 of 1 value(s) not < 0.01, e.g. {");
  }

  @Test
  void flappingResetsTheRunOfSuccessesAndSpendsTheFailureLimit() {
    var gate = gate(prometheus.url(), ERRORS, 2, 1);
    MetricsObservation o = MetricsObservation.none("prod", "prod-3", "slo");
    Instant at = Instant.parse("2026-12-07T10:00:00Z");
    double[] values = {0.001, 0.5, 0.001, 0.5};
    Result[] expected = {Result.Succeeded, Result.Failed, Result.Succeeded, Result.Failed};
    GateResult[] verdicts = {
      GateResult.Pending, GateResult.Pending, GateResult.Pending, GateResult.Failed
    };
    for (int i = 0; i < values.length; i++) {
      exporter.set("error_ratio{cluster=\"prod-3\"}", values[i]);
      o = o.next(awaitResult(gate, "prod-3", expected[i]), at.plusSeconds(i));
      assertThat(GateEvaluator.metrics(gate, o).verdict()).as("after %d", i).isEqualTo(verdicts[i]);
    }
    assertThat(o.failures()).isEqualTo(2);
    assertThat(o.consecutiveSuccesses()).isZero();
    assertThat(GateEvaluator.metrics(gate, o).message())
        .startsWith("2 of 4 measurement(s) failed, more than failureLimit 1; last: Failed: ");
  }

  @Test
  void anAbsentSeriesIsNoData() {
    Measurement m =
        measure(gate(prometheus.url(), ERRORS, 1, 0), "never-scraped", new ArrayList<>());
    assertThat(m.result()).isEqualTo(Result.NoData);
  }

  @Test
  void queryErrorsNameTheFieldAndTheFix() {
    Measurement syntax =
        measure(gate(prometheus.url(), "sum(error_ratio", 1, 0), "prod-1", new ArrayList<>());
    assertThat(syntax.result()).isEqualTo(Result.Error);
    assertThat(syntax.message()).contains("bad_data").endsWith("; fix metrics.query");

    Measurement range =
        measure(gate(prometheus.url(), "error_ratio[1m]", 1, 0), "prod-1", new ArrayList<>());
    assertThat(range.result()).isEqualTo(Result.Error);
    assertThat(range.message())
        .startsWith("query returned a matrix; metrics.query must give an instant vector");
  }

  @Test
  void prometheusDownIsAnErrorMeasurement() {
    try (LocalPrometheus other = LocalPrometheus.start(exporter.target())) {
      String url = other.url();
      other.stop();
      Measurement m = measure(gate(url, ERRORS, 1, 0), "prod-1", new ArrayList<>());
      assertThat(m.result()).isEqualTo(Result.Error);
      assertThat(m.message())
          .startsWith("cannot query " + url + "/api/v1/query")
          .endsWith("(check metrics.address and that Prometheus is up)");
    }
  }

  @Test
  void tlsWithBasicAuthentication() throws Exception {
    exporter.set("error_ratio{cluster=\"prod-4\"}", 0);
    try (LocalPrometheus secure = LocalPrometheus.startTls("kapro", "s3cret", exporter.target())) {
      var client = new PrometheusClient(true);
      var tls = MetricsMeasurements.trusting(Pem.readCertificates(secure.caPem(), "test CA"));
      var auth = new PrometheusClient.Auth.Basic("kapro", "s3cret");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          client.query(
                              secure.url(),
                              "error_ratio{cluster=\"prod-4\"}",
                              Duration.ofSeconds(5),
                              auth,
                              tls))
                      .isInstanceOfSatisfying(
                          PrometheusClient.Answer.Samples.class,
                          s -> assertThat(s.samples()).hasSize(1)));
      assertThat(
              client.query(
                  secure.url(),
                  "up",
                  Duration.ofSeconds(5),
                  new PrometheusClient.Auth.Basic("kapro", "wrong"),
                  tls))
          .isEqualTo(
              new PrometheusClient.Answer.Failure(
                  "answered HTTP 401: not authorized; check the token or username/password in"
                      + " metrics.secretRef"));
      assertThat(client.query(secure.url(), "up", Duration.ofSeconds(5), auth, null))
          .as("the test CA is not trusted without ca.crt")
          .isInstanceOfSatisfying(
              PrometheusClient.Answer.Failure.class,
              f -> assertThat(f.message()).startsWith("cannot query "));
      assertThat(client.query(prometheus.url(), "up", Duration.ofSeconds(5), auth, null))
          .isEqualTo(
              new PrometheusClient.Answer.Failure(
                  "metrics.secretRef holds credentials but metrics.address is not https:"
                      + " credentials are only sent over TLS; use an https address"));
    }
  }

  @Test
  void privateAddressesAreRefusedUnlessTheFleetAllowsThem() {
    var answer =
        new PrometheusClient(false)
            .query(
                prometheus.url(),
                "up",
                Duration.ofSeconds(5),
                new PrometheusClient.Auth.None(),
                null);
    assertThat(answer)
        .isInstanceOfSatisfying(
            PrometheusClient.Answer.Failure.class,
            f ->
                assertThat(f.message())
                    .startsWith("metrics.address: refused: metrics gate host ")
                    .contains("allowPrivateDestinations: true (it covers metrics gates too)"));
  }
}
