package io.kapro.hub.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.Examples;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.hub.gate.GateCheck;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code examples/metrics-gate/plan.yaml} compiles to the metrics gate its comments describe. */
class MetricsGateExampleTest {
  @Test
  void theExamplePlanCompiles() throws Exception {
    Plan plan =
        (Plan)
            Examples.typed(
                Examples.read(Examples.repoRoot().resolve("examples/metrics-gate/plan.yaml"))
                    .getFirst()
                    .object());
    var m = plan.getSpec().getStages().get(1).getGates().getFirst().getMetrics();
    PlanValidation compiled = PlanCompiler.compile(plan.getSpec());
    m.setAddress("http://127.0.0.1:9090");
    m.setSecretRef(null);
    m.setInterval("1s");
    m.setConsecutiveSuccesses(3);
    m.setFailureLimit(100);
    var json = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(plan.getSpec());
    var back =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .treeToValue(json, io.kapro.api.v1alpha2.PlanSpec.class);
    assertThat(PlanCompiler.compile(back))
        .as(json.toString())
        .isInstanceOf(PlanValidation.Valid.class);
    assertThat(compiled).isInstanceOf(PlanValidation.Valid.class);
    GateCheck.MetricsCheck gate =
        (GateCheck.MetricsCheck)
            ((PlanValidation.Valid) compiled).plan().stages().get(1).gates().getFirst();
    assertThat(gate.query()).isEqualTo("max(error_ratio{cluster=\"{{ cluster }}\"})\n");
    assertThat(gate.condition().holds(0.001)).isTrue();
    assertThat(gate.condition().holds(0.01)).isFalse();
    assertThat(gate.interval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(gate.consecutiveSuccesses()).isEqualTo(5);
    assertThat(gate.failureLimit()).isEqualTo(2);
    assertThat(gate.secretName()).isEqualTo("prometheus-reader");
  }
}
