package io.kapro.hub.engine;

import static io.kapro.hub.engine.Fixtures.fleet;
import static io.kapro.hub.engine.Fixtures.of;
import static io.kapro.hub.engine.Fixtures.ring;
import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.Decision;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.hub.engine.plan.GateBuilder;
import io.kapro.hub.engine.plan.PlanBuilder;
import io.kapro.hub.gate.ApprovalRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hostile or odd input at the engine's boundary, and independence from input order. */
class RunEngineInputTest {

  static Stream<Arguments> badUnits() {
    return Stream.of(
        Arguments.of(List.of(), "spec.units", "at least one unit"),
        Arguments.of(
            List.of(new DesiredVersion("app", "1"), new DesiredVersion("app", "2")),
            "spec.units[1].name",
            "listed twice"),
        Arguments.of(List.of(new DesiredVersion(" ", "1")), "spec.units[0].name", "required"),
        Arguments.of(
            Arrays.asList(new DesiredVersion("app", "1"), null), "spec.units[1].name", "required"),
        Arguments.of(
            List.of(new DesiredVersion("app", null)), "spec.units[0].version", "required"));
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource("badUnits")
  void badUnitsAreAnInvalidSpec(List<DesiredVersion> units, String field, String message) {
    RunHarness h = new RunHarness(PlanBuilder.of(ring("a")), fleet("a", 1));
    h.run = new RunState("run-1", units, RunHarness.T0, RunPhase.Pending, false, List.of());
    h.step();
    assertThat(h.rejected)
        .anySatisfy(
            p -> {
              assertThat(p.path()).isEqualTo(field);
              assertThat(p.message()).contains(message);
            });
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);
    assertThat(h.targets).isEmpty();
  }

  @Test
  void aSecondTargetForTheSameClusterAndStageIsIgnored() {
    RunHarness h = new RunHarness(PlanBuilder.of(ring("a")), fleet("a", 2));
    h.step();
    List<TargetState> targets = new ArrayList<>(h.targets.values());
    targets.add(TargetState.pending("a", "a-0000", 1, h.now)); // a stray copy
    EngineInput in = h.input();
    EngineResult r =
        RunEngine.decide(
            new EngineInput(
                in.plan(),
                in.run(),
                in.clusters(),
                targets,
                in.approvals(),
                in.webhooks(),
                in.claims(),
                in.now()));
    assertThat(of(r, EngineDecision.MarkEligible.class))
        .extracting(EngineDecision.MarkEligible::cluster)
        .containsExactly("a-0000", "a-0001");
    assertThat(r.summary().targets()).isEqualTo(2);
  }

  @Test
  void targetsWithoutPhaseOrTimeAndBrokenApprovalsDoNotBreakTheEngine() {
    RunHarness h =
        new RunHarness(
            PlanBuilder.of(ring("a").withGates(GateBuilder.approval("ok"))), fleet("a", 1));
    h.step();
    h.targets.replaceAll(
        (k, t) ->
            new TargetState(t.stage(), t.cluster(), t.wave(), null, null, null, false, null, null));
    h.approvals.add(null);
    h.approvals.add(new ApprovalRecord(null, null, null, null, null, null));
    h.approvals.add(new ApprovalRecord(null, null, null, Decision.Approve, null, null));
    EngineResult r = h.step();
    assertThat(of(r, EngineDecision.MarkEligible.class))
        .singleElement()
        .satisfies(m -> assertThat(m.gates().get(0).message()).startsWith("approved by unknown"));
    h.runToEnd(10);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
  }

  @Test
  void decisionsDoNotDependOnTheOrderOfTheInputLists() {
    FleetSimulation sim = new FleetSimulation(300);
    Random random = new Random(7);
    int compared = 0;
    while (!sim.h.run.phase().terminal()) {
      EngineInput in = sim.h.input();
      if (sim.h.steps % 5 == 0) {
        EngineInput shuffled =
            new EngineInput(
                in.plan(),
                new RunState(
                    in.run().id(),
                    in.run().units(),
                    in.run().startedAt(),
                    in.run().phase(),
                    in.run().superseded(),
                    shuffle(in.run().stages(), random)),
                shuffle(in.clusters(), random),
                shuffle(in.targets(), random),
                shuffle(in.approvals(), random),
                shuffle(in.webhooks(), random),
                shuffle(in.claims(), random),
                in.now());
        assertThat(RunEngine.decide(shuffled)).isEqualTo(RunEngine.decide(in));
        compared++;
      }
      sim.round();
    }
    assertThat(compared).isGreaterThan(5);
    assertThat(sim.h.run.phase()).isEqualTo(RunPhase.Succeeded);
  }

  private static <T> List<T> shuffle(List<T> list, Random random) {
    List<T> copy = new ArrayList<>(list);
    Collections.shuffle(copy, random);
    return copy;
  }
}
