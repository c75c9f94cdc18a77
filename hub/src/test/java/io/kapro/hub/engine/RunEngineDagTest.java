package io.kapro.hub.engine;

import static io.kapro.hub.engine.Fixtures.fleet;
import static io.kapro.hub.engine.Fixtures.ring;
import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.Unlock;
import io.kapro.hub.engine.plan.PlanBuilder;
import io.kapro.hub.engine.plan.SelectorBuilder;
import io.kapro.hub.engine.plan.StageBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stage DAGs: fan-out, fan-in with all/any unlock, required soak, empty stages. */
class RunEngineDagTest {

  @Test
  void fanOutStartsEveryDependentOnceTheUpstreamConverged() {
    RunHarness h =
        new RunHarness(
            PlanBuilder.of(ring("a"), ring("b").withDependsOn("a"), ring("c").withDependsOn("a")),
            fleet("a", 2, "b", 3, "c", 4));
    h.runToEnd(50);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(h.firstCreated.get("b"))
        .isEqualTo(h.finished.get("a"))
        .isEqualTo(h.firstCreated.get("c"));
    assertThat(h.firstCreated.get("a")).isLessThan(h.finished.get("a"));
    assertThat(h.targets).hasSize(9);
    assertThat(h.targets.values()).allMatch(t -> t.phase() == TargetPhase.Converged);
  }

  @ParameterizedTest
  @ValueSource(strings = {"All", "Any"})
  void fanInWaitsForAllOrAny(String unlock) {
    // "slow" needs three waves, "fast" one: with Any, "join" starts when "fast" is done.
    RunHarness h =
        new RunHarness(
            PlanBuilder.of(
                ring("slow").withWaves("1", "2", "100%"),
                ring("fast"),
                ring("join").withDependsOn("slow", "fast").withUnlock(Unlock.valueOf(unlock))),
            fleet("slow", 3, "fast", 2, "join", 2));
    h.runToEnd(50);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
    int joinStart = h.firstCreated.get("join");
    if (unlock.equals("All")) {
      assertThat(joinStart).isEqualTo(Math.max(h.finished.get("slow"), h.finished.get("fast")));
    } else {
      assertThat(joinStart).isEqualTo(h.finished.get("fast")).isLessThan(h.finished.get("slow"));
    }
  }

  @Test
  void requiredSoakCountsFromConvergenceOnAControllableClock() {
    RunHarness h =
        new RunHarness(
            PlanBuilder.of(ring("a").withRequiredSoakTime("30m"), ring("b").withDependsOn("a")),
            fleet("a", 1, "b", 1));
    while (h.stagePhase("a") != StagePhase.Soaking) {
      h.step();
      h.publish();
      h.converge();
    }
    var convergedAt = h.stages.get("a").convergedAt();
    assertThat(convergedAt).isEqualTo(RunHarness.T0);
    assertThat(h.stages.get("a").message())
        .isEqualTo("converged; soaking until 2026-11-23T10:30:00Z");
    assertThat(h.stagePhase("b")).isEqualTo(StagePhase.Pending);
    h.now = convergedAt.plus(Duration.ofMinutes(29)).plusSeconds(59);
    EngineResult r = h.step();
    assertThat(Fixtures.creates(r)).isZero();
    assertThat(r.wakeAt()).isEqualTo(convergedAt.plus(Duration.ofMinutes(30)));
    assertThat(h.stagePhase("a")).isEqualTo(StagePhase.Soaking);
    h.now = r.wakeAt();
    assertThat(Fixtures.creates(h.step())).isEqualTo(1);
    assertThat(h.stagePhase("a")).isEqualTo(StagePhase.Succeeded);
    assertThat(h.stagePhase("b")).isEqualTo(StagePhase.Running);
  }

  @Test
  void aTargetThatDegradesWhileTheStageSoaksFailsTheStage() {
    RunHarness h =
        new RunHarness(
            PlanBuilder.of(ring("a").withRequiredSoakTime("30m"), ring("b").withDependsOn("a")),
            fleet("a", 2, "b", 1));
    while (h.stagePhase("a") != StagePhase.Soaking) {
      h.step();
      h.publish();
      h.converge();
    }
    h.targets.replaceAll(
        (k, t) ->
            t.cluster().equals("a-0001")
                ? new TargetState(
                    t.stage(),
                    t.cluster(),
                    t.wave(),
                    TargetPhase.Degraded,
                    h.now,
                    t.publishedAt(),
                    false,
                    t.gates(),
                    null)
                : t);
    h.now = h.now.plus(Duration.ofMinutes(10));
    h.step();
    assertThat(h.stagePhase("a")).isEqualTo(StagePhase.Failed);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Halted);
    assertThat(h.inStage("b")).isEmpty();
  }

  @Test
  void anEmptyStageSucceedsAtOnceAndUnlocksItsDependents() {
    RunHarness h =
        new RunHarness(
            PlanBuilder.of(
                ring("a"),
                StageBuilder.named("nobody", SelectorBuilder.matchLabels(Map.of("ring", "none")))
                    .withDependsOn("a"),
                ring("b").withDependsOn("nobody")),
            fleet("a", 1, "b", 1));
    h.runToEnd(20);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(h.stages.get("nobody").phase()).isEqualTo(StagePhase.Succeeded);
    assertThat(h.stages.get("nobody").message()).isEqualTo("no clusters matched the selector");
    assertThat(h.finished.get("nobody"))
        .isEqualTo(h.finished.get("a"))
        .isEqualTo(h.firstCreated.get("b"));
    assertThat(h.inStage("nobody")).isEmpty();
  }

  @Test
  void aPlanWhoseOnlyStageIsEmptySucceeds() {
    RunHarness h = new RunHarness(PlanBuilder.of(ring("ghost")), fleet("a", 2));
    EngineResult r = h.step();
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(r.summary().targets()).isZero();
    assertThat(h.decide().decisions()).isEmpty();
  }
}
