package io.kapro.hub.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.hub.gate.Measurement.Result;
import io.kapro.hub.gate.Measurement.Sample;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Judging measurements and filling query templates. Semantics compared with Argo Rollouts'
 * AnalysisTemplate (argoproj/argo-rollouts docs/features/analysis.md: failureLimit is the number of
 * failures tolerated, "failed > failureLimit" fails the analysis; metricproviders/prometheus/
 * prometheus.go@b0c54f23 hands a vector to the condition as a list and a scalar as one value) and
 * Flagger's Prometheus provider (fluxcd/flagger pkg/metrics/providers/prometheus.go: an empty
 * result is ErrNoValuesFound, i.e. a failed check).
 */
class MetricsJudgingTest {
  static final Threshold BELOW_1PCT = new Threshold("<", 0.01);

  @ParameterizedTest(name = "{1} {0} {2} → {3}")
  @CsvSource({
    "0.5, <, 1, true",
    "1, <, 1, false",
    "1, <=, 1, true",
    "2, >, 1, true",
    "1, >=, 1, true",
    "1, ==, 1, true",
    "1, !=, 1, false",
    "NaN, !=, 1, false", // NaN never satisfies a condition
    "NaN, <, 1, false",
    "Infinity, >, 1, true",
  })
  void comparisons(double value, String op, double threshold, boolean holds) {
    assertThat(new Threshold(op, threshold).holds(value)).isEqualTo(holds);
  }

  @Test
  void everySampleOfAVectorMustHold() {
    Measurement ok =
        Measurement.judge(
            List.of(new Sample("{cluster=\"a\"}", 0.001), new Sample("{cluster=\"b\"}", 0.002)),
            BELOW_1PCT);
    assertThat(ok.result()).isEqualTo(Result.Succeeded);
    assertThat(ok.values()).containsExactly("{cluster=\"a\"}=0.001", "{cluster=\"b\"}=0.002");

    Measurement bad =
        Measurement.judge(
            List.of(new Sample("{pod=\"a\"}", 0.001), new Sample("{pod=\"b\"}", 0.2)), BELOW_1PCT);
    assertThat(bad.result()).isEqualTo(Result.Failed);
    assertThat(bad.message()).isEqualTo("1 of 2 value(s) not < 0.01, e.g. {pod=\"b\"}=0.2");
  }

  @Test
  void anEmptyVectorIsNoDataAndNaNFails() {
    Measurement none = Measurement.judge(List.of(), BELOW_1PCT);
    assertThat(none.result()).isEqualTo(Result.NoData);
    assertThat(none.message()).contains("or vector(0)");
    assertThat(Measurement.judge(List.of(new Sample("scalar", Double.NaN)), BELOW_1PCT).result())
        .isEqualTo(Result.Failed);
  }

  @Test
  void onlyTheLastTenValuesAreShown() {
    List<Sample> many =
        java.util.stream.IntStream.range(0, 30).mapToObj(i -> new Sample("s" + i, 0)).toList();
    assertThat(Measurement.judge(many, BELOW_1PCT).values()).hasSize(10);
  }

  @Test
  void countersResetOnAFailureAndCountEveryFailure() {
    MetricsObservation o = MetricsObservation.none("prod", "c1", "slo");
    Measurement ok = Measurement.judge(List.of(new Sample("scalar", 0)), BELOW_1PCT);
    Measurement no = Measurement.error("Prometheus down");
    o = o.next(ok, java.time.Instant.EPOCH).next(ok, java.time.Instant.EPOCH);
    assertThat(o.consecutiveSuccesses()).isEqualTo(2);
    o = o.next(no, java.time.Instant.EPOCH); // an error is a failed measurement: fail closed
    assertThat(o.consecutiveSuccesses()).isZero();
    assertThat(o.failures()).isEqualTo(1);
    assertThat(o.measurements()).isEqualTo(3);
    assertThat(o.last()).isEqualTo("Error: Prometheus down");
  }

  @Test
  void templatesFillVariablesEscapedForAPromQLString() {
    assertThat(
            MetricsQuery.render(
                "rate(errors{cluster=\"{{ cluster }}\",stage=\"{{stage}}\",v=\"{{ version }}\"}[5m])",
                Map.of("cluster", "eu-1", "stage", "prod", "version", "1.0\"x")))
        .isEqualTo("rate(errors{cluster=\"eu-1\",stage=\"prod\",v=\"1.0\\\"x\"}[5m])");
    assertThat(MetricsQuery.perUnit("up{job=\"{{ unit }}\"}")).isTrue();
    assertThat(MetricsQuery.perUnit("up{cluster=\"{{ cluster }}\"}")).isFalse();
    assertThatThrownBy(() -> MetricsQuery.render("up{x=\"{{ namespace }}\"}", Map.of()))
        .hasMessage("query uses {{ namespace }}, which has no value here");
  }
}
