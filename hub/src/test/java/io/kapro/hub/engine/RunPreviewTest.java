package io.kapro.hub.engine;

import static io.kapro.hub.engine.Fixtures.fleet;
import static io.kapro.hub.engine.Fixtures.ring;
import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.ClusterConnectivity;
import io.kapro.api.v1alpha2.PlanSpec;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.Unreachable;
import io.kapro.hub.engine.plan.GateBuilder;
import io.kapro.hub.engine.plan.PlanBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunPreviewTest {
  @ParameterizedTest(name = "unreachable {0}, maxUnavailable {1} → prod-0000 {2}, run {3}")
  @CsvSource({
    "Wait, 0, WaitFor, Halted",
    "Wait, 1, WaitFor, Running",
    "Skip, 0, Skip, Succeeded",
    "Fail, 0, Fail, Halted",
    "Fail, 1, Fail, Succeeded"
  })
  void showsStagesWavesVersionsGatesAndWhatHappensToUnreachableClusters(
      Unreachable policy, String maxUnavailable, RunPreview.Action action, RunPhase outcome) {
    PlanSpec plan =
        PlanBuilder.of(
                ring("canary"),
                ring("prod")
                    .withDependsOn("canary")
                    .withWaves("50%", "100%")
                    .withMaxUnavailable(maxUnavailable)
                    .withGates(GateBuilder.approval("change-board")))
            .toApi();
    plan.getStages().get(1).setUnreachable(policy);
    List<ClusterState> clusters = new ArrayList<>();
    for (ClusterState c : fleet("canary", 1, "prod", 4)) {
      clusters.add(
          c.name().equals("prod-0000")
              ? new ClusterState(
                  c.name(),
                  c.labels(),
                  Reachability.Unknown,
                  c.versions(),
                  c.previousVersions(),
                  ClusterConnectivity.AirGapped,
                  null)
              : c);
    }
    RunPreview.Plan p =
        RunPreview.of(plan, clusters, List.of(new DesiredVersion("app", "2.0.0")), RunHarness.T0);
    assertThat(p.problems()).isEmpty();
    assertThat(p.outcome()).isEqualTo(outcome);
    assertThat(p.stages()).extracting(RunPreview.Stage::name).containsExactly("canary", "prod");
    RunPreview.Stage canary = p.stages().get(0);
    assertThat(canary.waves()).hasSize(1);
    assertThat(canary.waves().get(0).clusters())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.cluster()).isEqualTo("canary-0000");
              assertThat(c.from()).isEqualTo(Map.of("app", "1.0.0"));
              assertThat(c.to()).isEqualTo(Map.of("app", "2.0.0"));
              assertThat(c.action()).isEqualTo(RunPreview.Action.Publish);
            });
    RunPreview.Stage prod = p.stages().get(1);
    assertThat(prod.dependsOn()).containsExactly("canary");
    assertThat(prod.unreachable()).isEqualTo(policy.name());
    assertThat(prod.waves().get(0).gates()).containsExactly("Approval change-board");
    assertThat(prod.waves().get(0).clusters())
        .extracting(RunPreview.ClusterStep::cluster)
        .containsExactly("prod-0000", "prod-0001");
    RunPreview.ClusterStep odd = prod.waves().get(0).clusters().get(0);
    assertThat(odd.action()).isEqualTo(action);
    assertThat(odd.why()).contains("prod-0000 is AirGapped");
    if (outcome != RunPhase.Halted) {
      assertThat(prod.waves()).hasSize(2);
      assertThat(prod.waves().get(1).clusters())
          .extracting(RunPreview.ClusterStep::cluster)
          .containsExactly("prod-0002", "prod-0003");
      assertThat(prod.waves().get(1).clusters())
          .allMatch(c -> c.action() == RunPreview.Action.Publish);
    } else {
      assertThat(prod.waves()).as("the stage fails before the second wave").hasSize(1);
    }
  }

  @org.junit.jupiter.api.Test
  void anInvalidPlanIsReportedWithTheHubsOwnWords() {
    PlanSpec plan = PlanBuilder.of(ring("prod").withMaxUnavailable("150%")).toApi();
    RunPreview.Plan p =
        RunPreview.of(
            plan, fleet("prod", 1), List.of(new DesiredVersion("app", "2")), RunHarness.T0);
    assertThat(p.problems()).singleElement().asString().contains("spec.stages[0].maxUnavailable");
    assertThat(p.stages()).isEmpty();
  }
}
