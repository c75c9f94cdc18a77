package io.kapro.hub.engine;

import static io.kapro.hub.engine.Fixtures.fleet;
import static io.kapro.hub.engine.Fixtures.of;
import static io.kapro.hub.engine.Fixtures.ring;
import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.OnFailure;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.engine.plan.PlanBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** onFailure: Halt, Skip, Rollback. */
class RunEnginePolicyTest {

  /** prod has two waves of 2; cluster prod-0003 (wave 2) fails. "after" depends on prod. */
  static RunHarness failingSecondWave(OnFailure policy) {
    RunHarness h =
        new RunHarness(
            PlanBuilder.of(
                ring("prod").withWaves("2", "100%").withMaxParallel(1).withOnFailure(policy),
                ring("after").withDependsOn("prod")),
            fleet("prod", 4, "after", 2));
    h.agent = t -> t.cluster().equals("prod-0002") ? TargetPhase.Failed : TargetPhase.Converged;
    return h;
  }

  @Test
  void haltStopsTheRunAndSkipsWhatHasNotStarted() {
    RunHarness h = failingSecondWave(OnFailure.Halt);
    h.runToEnd(50);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Halted);
    assertThat(h.stagePhase("prod")).isEqualTo(StagePhase.Failed);
    assertThat(h.targets.get(new TargetKey("prod", "prod-0002")).phase())
        .isEqualTo(TargetPhase.Failed);
    // maxParallel 1: prod-0003 was still waiting for its slot and is skipped.
    assertThat(h.targets.get(new TargetKey("prod", "prod-0003")).phase())
        .isEqualTo(TargetPhase.Skipped);
    assertThat(h.inStage("after")).isEmpty();
    assertThat(h.decide().decisions()).as("a halted run is finished").isEmpty();
  }

  @Test
  void skipSkipsTheStageAndTheRunGoesOnButEndsFailed() {
    RunHarness h = failingSecondWave(OnFailure.Skip);
    h.runToEnd(50);
    assertThat(h.stagePhase("prod")).isEqualTo(StagePhase.Skipped);
    assertThat(h.targets.get(new TargetKey("prod", "prod-0003")).phase())
        .isEqualTo(TargetPhase.Skipped);
    assertThat(h.count("after", TargetPhase.Converged)).isEqualTo(2);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);
    assertThat(h.audit)
        .anySatisfy(a -> assertThat(a.message()).contains("stage(s) skipped after failures: prod"));
  }

  @Test
  void rollbackAsksForPreviousVersionsAndEndsRolledBack() {
    RunHarness h = failingSecondWave(OnFailure.Rollback);
    List<EngineDecision.RollbackTarget> rollbacks = new java.util.ArrayList<>();
    while (!h.run.phase().terminal()) {
      rollbacks.addAll(of(h.step(), EngineDecision.RollbackTarget.class));
      h.publish();
      h.converge();
    }
    assertThat(h.run.phase()).isEqualTo(RunPhase.RolledBack);
    // Converged clusters go back to the version before the run; the failed one keeps what it ran.
    assertThat(rollbacks)
        .extracting(EngineDecision.RollbackTarget::cluster)
        .containsExactly("prod-0000", "prod-0001", "prod-0002");
    assertThat(rollbacks)
        .allSatisfy(r -> assertThat(r.units()).containsExactly(new DesiredVersion("app", "1.0.0")));
    assertThat(h.clusters.get("prod-0000").versions()).containsEntry("app", "1.0.0");
    assertThat(h.targets.get(new TargetKey("prod", "prod-0003")).phase())
        .isEqualTo(TargetPhase.Skipped);
    assertThat(h.inStage("after")).isEmpty();
    assertThat(h.targets).hasSize(4); // rollback reuses the Target: still one per cluster × stage
  }

  @Test
  void rollbackThatDoesNotConvergeFailsTheRun() {
    RunHarness h = failingSecondWave(OnFailure.Rollback);
    h.runToEnd(50);
    // Re-run with an agent that also fails rollbacks on prod-0001.
    RunHarness g = failingSecondWave(OnFailure.Rollback);
    g.agent = t -> t.cluster().equals("prod-0002") ? TargetPhase.Failed : TargetPhase.Converged;
    while (!g.run.phase().terminal()) {
      g.step();
      g.publish();
      // The fake agent converges rollbacks; make prod-0001's rollback fail instead.
      g.targets.replaceAll(
          (k, t) ->
              t.rollback() && t.cluster().equals("prod-0001") && t.phase() == TargetPhase.Published
                  ? new TargetState(
                      t.stage(),
                      t.cluster(),
                      t.wave(),
                      TargetPhase.Failed,
                      g.now,
                      t.publishedAt(),
                      true,
                      t.gates(),
                      null)
                  : t);
      g.converge();
    }
    assertThat(g.run.phase()).isEqualTo(RunPhase.Failed);
    assertThat(g.audit)
        .anySatisfy(
            a -> assertThat(a.message()).contains("rollback did not converge on [prod/prod-0001]"));
  }

  @Test
  void aRollbackThatNeverConvergesTimesOutAndFailsTheRun() {
    RunHarness h = failingSecondWave(OnFailure.Rollback);
    h.agent = t -> t.cluster().equals("prod-0002") ? TargetPhase.Failed : TargetPhase.Converged;
    h.step();
    while (h.run.phase() != RunPhase.RollingBack) {
      h.publish();
      h.converge();
      h.step();
    }
    h.publish(); // rollback bundles published; the agent never answers
    EngineResult waiting = h.step();
    assertThat(h.run.phase()).isEqualTo(RunPhase.RollingBack);
    assertThat(waiting.wakeAt()).isEqualTo(h.now.plus(java.time.Duration.ofHours(1)));
    h.now = waiting.wakeAt();
    EngineResult r = h.step();
    assertThat(of(r, EngineDecision.FailTarget.class))
        .hasSize(3)
        .allSatisfy(f -> assertThat(f.message()).startsWith("rollback not Converged within PT1H"));
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);
  }

  @Test
  void clustersWithoutAPreviousVersionAreNotRolledBack() {
    List<ClusterState> fresh =
        List.of(
            new ClusterState(
                "prod-0000",
                java.util.Map.of("ring", "prod"),
                Reachability.Connected,
                java.util.Map.of(),
                java.util.Map.of()));
    RunHarness h =
        new RunHarness(PlanBuilder.of(ring("prod").withOnFailure(OnFailure.Rollback)), fresh);
    h.agent = t -> TargetPhase.Failed;
    h.runToEnd(20);
    assertThat(h.run.phase()).isEqualTo(RunPhase.RolledBack);
    assertThat(h.audit)
        .anySatisfy(
            a -> assertThat(a.message()).contains("no previous version recorded for [prod-0000]"));
  }

  @ParameterizedTest
  @EnumSource(OnFailure.class)
  void aHubThatDiesHalfWayThroughApplyingCarriesOnWithoutDuplicates(OnFailure policy) {
    // Apply only part of every step's decisions (as if the hub died), then continue.
    RunHarness h = failingSecondWave(policy);
    int step = 0;
    while (!h.run.phase().terminal() && step < 200) {
      int size = h.decide().decisions().size();
      h.stepPartial(step % 3 == 0 ? size / 2 : size);
      h.publish();
      h.converge();
      step++;
    }
    RunHarness clean = failingSecondWave(policy);
    clean.runToEnd(200);
    assertThat(h.run.phase()).isEqualTo(clean.run.phase());
    assertThat(h.targets.keySet()).containsExactlyInAnyOrderElementsOf(clean.targets.keySet());
  }
}
