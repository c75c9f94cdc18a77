package io.kapro.hub.engine;

import static io.kapro.hub.engine.Fixtures.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.GateResult;
import io.kapro.api.v1alpha2.MetricsCondition;
import io.kapro.api.v1alpha2.MetricsGate;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.engine.plan.GateBuilder;
import io.kapro.hub.gate.MetricsObservation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A metrics gate through the engine: it asks for measurements and decides from the counters. */
class RunEngineMetricsGateTest {

  static MetricsGate errorRate(int successes, int failureLimit) {
    MetricsGate m = new MetricsGate();
    m.setAddress("https://prometheus.example:9090");
    m.setQuery("max(error_rate{cluster=\"{{ cluster }}\"})");
    MetricsCondition c = new MetricsCondition();
    c.setOperator("<");
    c.setThreshold(0.01);
    m.setSuccessCondition(c);
    m.setInterval("30s");
    m.setConsecutiveSuccesses(successes);
    m.setFailureLimit(failureLimit);
    return m;
  }

  static MetricsObservation seen(
      RunHarness h, String cluster, int n, int inARow, int failures, Duration ago) {
    return new MetricsObservation(
        "prod", cluster, "slo", n, inARow, failures, h.now.minus(ago), "Succeeded: all ok");
  }

  @Test
  void asksForAFirstMeasurementPerTargetAndHoldsMeanwhile() {
    RunHarness h = RunEngineGatesTest.gated(GateBuilder.metrics("slo", errorRate(3, 1)), 2);
    EngineResult r = h.step();
    assertThat(of(r, EngineDecision.MeasureMetrics.class))
        .extracting(EngineDecision.MeasureMetrics::cluster)
        .containsExactly("prod-0000", "prod-0001");
    assertThat(of(r, EngineDecision.MeasureMetrics.class))
        .allSatisfy(
            m -> {
              assertThat(m.stage()).isEqualTo("prod");
              assertThat(m.run()).isEqualTo(h.run.id());
              assertThat(m.units()).extracting(DesiredVersion::version).containsExactly("2.0.0");
              assertThat(m.gate().interval()).isEqualTo(Duration.ofSeconds(30));
            });
    assertThat(h.inStage("prod"))
        .allSatisfy(
            t -> {
              assertThat(t.phase()).isEqualTo(TargetPhase.Waiting);
              assertThat(t.message()).isEqualTo("gate slo: waiting for the first measurement");
            });
  }

  @Test
  void waitsForTheIntervalThenMeasuresAgain() {
    RunHarness h = RunEngineGatesTest.gated(GateBuilder.metrics("slo", errorRate(3, 1)), 1);
    h.metrics.add(seen(h, "prod-0000", 1, 1, 0, Duration.ofSeconds(10)));
    EngineResult r = h.step();
    assertThat(of(r, EngineDecision.MeasureMetrics.class)).as("not due yet").isEmpty();
    assertThat(r.wakeAt()).isEqualTo(h.now.plusSeconds(20));
    assertThat(h.inStage("prod").getFirst().message())
        .isEqualTo(
            "gate slo: 1/3 successes in a row, 0 failure(s) of 1 tolerated; last: Succeeded: all"
                + " ok");
    h.now = h.now.plusSeconds(20);
    assertThat(of(h.step(), EngineDecision.MeasureMetrics.class)).hasSize(1);
  }

  @Test
  void passesOnceTheRequiredSuccessesInARowAreThere() {
    RunHarness h = RunEngineGatesTest.gated(GateBuilder.metrics("slo", errorRate(3, 1)), 1);
    h.metrics.add(seen(h, "prod-0000", 4, 3, 1, Duration.ZERO));
    EngineResult r = h.step();
    assertThat(of(r, EngineDecision.MarkEligible.class))
        .singleElement()
        .satisfies(
            m ->
                assertThat(m.gates())
                    .singleElement()
                    .satisfies(g -> assertThat(g.verdict()).isEqualTo(GateResult.Passed)));
    assertThat(of(r, EngineDecision.MeasureMetrics.class)).isEmpty();
  }

  @Test
  void failsTheTargetAndHaltsTheRunWhenFailuresPassTheLimit() {
    RunHarness h = RunEngineGatesTest.gated(GateBuilder.metrics("slo", errorRate(3, 1)), 1);
    h.metrics.add(seen(h, "prod-0000", 3, 0, 2, Duration.ZERO));
    EngineResult r = h.step();
    assertThat(of(r, EngineDecision.FailTarget.class))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.message())
                    .startsWith("gate slo failed: 2 of 3 measurement(s) failed, more than"));
    assertThat(h.run.phase()).isEqualTo(RunPhase.Halted);
  }
}
