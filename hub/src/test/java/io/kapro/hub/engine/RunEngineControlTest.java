package io.kapro.hub.engine;

import static io.kapro.hub.engine.Fixtures.fleet;
import static io.kapro.hub.engine.Fixtures.of;
import static io.kapro.hub.engine.Fixtures.ring;
import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.OnFailure;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.engine.plan.GateBuilder;
import io.kapro.hub.engine.plan.PlanBuilder;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pause, resume, abort and rollback, applied at every phase a run can be in. The fleet: canary (1)
 * then prod (4, waves 50% / 100%, an approval gate before the stage, onFailure Rollback).
 */
class RunEngineControlTest {
  /** The phases a person can find a run in, and how the harness gets it there. */
  enum At {
    Pending,
    Running,
    WaitingForApproval,
    RollingBack,
    Succeeded,
    Halted
  }

  private final Set<String> holding = new HashSet<>();
  private final Set<String> failing = new HashSet<>();

  private RunHarness harness(boolean rollbackOnFailure) {
    RunHarness h =
        new RunHarness(
            PlanBuilder.of(
                ring("canary"),
                ring("prod")
                    .withDependsOn("canary")
                    .withWaves("50%", "100%")
                    .withGates(GateBuilder.approval("change-board"))
                    .withOnFailure(rollbackOnFailure ? OnFailure.Rollback : OnFailure.Halt)),
            fleet("canary", 1, "prod", 4));
    h.agent =
        t ->
            failing.contains(t.cluster())
                ? TargetPhase.Failed
                : holding.contains(t.cluster()) ? TargetPhase.Published : TargetPhase.Converged;
    return h;
  }

  /** Steps the fake fleet (engine, publisher, agent, a minute) until {@code done} holds. */
  private static void until(RunHarness h, Predicate<RunHarness> done) {
    for (int i = 0; i < 200 && !done.test(h); i++) {
      h.step();
      h.publish();
      h.converge();
      h.now = h.now.plus(Duration.ofMinutes(1));
    }
    assertThat(done.test(h)).as("reached the phase").isTrue();
  }

  private RunHarness at(At at) {
    RunHarness h = harness(at == At.RollingBack);
    switch (at) {
      case Pending -> {}
      case Running -> {
        holding.add("prod-0000");
        h.approve("ok", "prod", null);
        until(h, x -> x.count("prod", TargetPhase.Published) == 1);
      }
      case WaitingForApproval -> until(h, x -> x.run.phase() == RunPhase.WaitingForApproval);
      case RollingBack -> {
        failing.add("prod-0000");
        h.approve("ok", "prod", null);
        until(h, x -> x.count("prod", TargetPhase.Failed) == 1);
        h.step(); // the stage fails, its Targets are turned into rollbacks
        assertThat(h.run.phase()).isEqualTo(RunPhase.RollingBack);
      }
      case Succeeded -> {
        h.approve("ok", "prod", null);
        until(h, x -> x.run.phase() == RunPhase.Succeeded);
      }
      case Halted -> {
        failing.add("prod-0000");
        h.approve("ok", "prod", null);
        until(h, x -> x.run.phase() == RunPhase.Halted);
      }
    }
    assertThat(h.run.phase()).as("set up at " + at).isEqualTo(RunPhase.valueOf(at.name()));
    return h;
  }

  private static long published(RunHarness h) {
    return h.targets.values().stream().filter(t -> t.publishedAt() != null).count();
  }

  @ParameterizedTest
  @EnumSource(At.class)
  void pauseHoldsEveryNewPublicationAndResumeCarriesOn(At phase) {
    RunHarness h = at(phase);
    h.approve("ok", "prod", null);
    long before = published(h);
    int targetsBefore = h.targets.size();
    h.run = h.run.with(new RunControl(true, false, false, false));
    for (int i = 0; i < 30; i++) {
      EngineResult r = h.step();
      assertThat(of(r, EngineDecision.MarkEligible.class)).as("nothing new publishes").isEmpty();
      assertThat(of(r, EngineDecision.CreateTarget.class)).as("no wave opens").isEmpty();
      h.publish();
      h.converge();
      h.now = h.now.plus(Duration.ofMinutes(1));
    }
    if (phase != At.RollingBack) { // rollback bundles still go out while paused
      assertThat(published(h)).isEqualTo(before);
    }
    assertThat(h.targets).hasSize(targetsBefore);
    RunPhase expected =
        switch (phase) {
          case Succeeded, Halted -> RunPhase.valueOf(phase.name());
          // a rollback in progress is not paused: it is the way back to safety
          case RollingBack -> RunPhase.RolledBack;
          default -> RunPhase.Paused;
        };
    assertThat(h.run.phase()).isEqualTo(expected);
    if (phase == At.Running) {
      holding.clear();
      h.converge();
      h.step();
      assertThat(h.targets.get(new TargetKey("prod", "prod-0000")).phase())
          .as("the Target in flight finished while paused")
          .isEqualTo(TargetPhase.Converged);
      assertThat(h.run.phase()).isEqualTo(RunPhase.Paused);
    }
    holding.clear();
    h.run = h.run.with(RunControl.NONE);
    h.runToEnd(200);
    RunPhase end =
        switch (phase) {
          case Halted -> RunPhase.Halted;
          case RollingBack -> RunPhase.RolledBack;
          default -> RunPhase.Succeeded;
        };
    assertThat(h.run.phase()).as("after resume").isEqualTo(end);
  }

  @ParameterizedTest
  @EnumSource(At.class)
  void abortCancelsWhatIsNotPublishedAndEndsTheRun(At phase) {
    RunHarness h = at(phase);
    Map<TargetKey, TargetPhase> before = new java.util.HashMap<>();
    h.targets.forEach((k, t) -> before.put(k, t.phase()));
    h.run = h.run.with(new RunControl(false, true, false, false));
    EngineResult r = h.step();
    if (phase == At.Succeeded || phase == At.Halted) {
      assertThat(h.run.phase())
          .as("a finished run stays as it ended")
          .isEqualTo(RunPhase.valueOf(phase.name()));
      assertThat(of(r, EngineDecision.CancelTarget.class)).isEmpty();
      return;
    }
    assertThat(h.run.phase()).isEqualTo(RunPhase.Aborted);
    assertThat(of(r, EngineDecision.MarkEligible.class)).isEmpty();
    assertThat(of(r, EngineDecision.CreateTarget.class)).isEmpty();
    before.forEach(
        (k, p) -> {
          TargetPhase now = h.targets.get(k).phase();
          if (p.unstarted()) {
            assertThat(now).as(k + " unstarted → Cancelled").isEqualTo(TargetPhase.Cancelled);
            assertThat(h.targets.get(k).message()).isEqualTo("run aborted");
          } else {
            assertThat(now).as(k + " in flight or done: untouched").isEqualTo(p);
          }
        });
    // a Target in flight finishes after the abort; the run stays Aborted
    holding.clear();
    h.publish();
    h.converge();
    h.step();
    assertThat(h.run.phase()).isEqualTo(RunPhase.Aborted);
    assertThat(h.targets.values()).noneMatch(t -> t.phase().unstarted());
  }

  @ParameterizedTest
  @EnumSource(At.class)
  void rollbackIsANewRunThatSupersedesTheOldOneAndPassesTheSameGates(At phase) {
    RunHarness old = at(phase);
    // the old run is superseded by the rollback run at whatever phase it was in
    old.run =
        new RunState(
            old.run.id(),
            old.run.units(),
            old.run.startedAt(),
            old.run.phase(),
            true,
            old.run.stages(),
            old.run.control());
    old.step();
    RunPhase oldEnd = old.run.phase();
    assertThat(oldEnd)
        .isEqualTo(
            phase == At.Succeeded || phase == At.Halted
                ? RunPhase.valueOf(phase.name())
                : RunPhase.Superseded);
    // the rollback run: units at the fleet's last proven version, Targets marked as rollbacks
    RunHarness back =
        new RunHarness(
            PlanBuilder.of(
                ring("canary"),
                ring("prod")
                    .withDependsOn("canary")
                    .withWaves("50%", "100%")
                    .withGates(GateBuilder.approval("change-board"))),
            java.util.List.copyOf(old.clusters.values()),
            new DesiredVersion("app", "1.0.0"));
    back.run = back.run.with(new RunControl(false, false, true, false));
    back.runToEnd(30);
    assertThat(back.run.phase())
        .as("held by the same approval gate")
        .isEqualTo(RunPhase.WaitingForApproval);
    back.approve("ok", "prod", null);
    back.runToEnd(200);
    assertThat(back.run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(back.targets.values())
        .allMatch(t -> !t.rollback() && t.phase() == TargetPhase.Converged);
    assertThat(back.targetUnits.values())
        .allMatch(u -> u.equals(java.util.List.of(new DesiredVersion("app", "1.0.0"))));
    assertThat(back.clusters.values()).allMatch(c -> "1.0.0".equals(c.versions().get("app")));
  }

  @Test
  void aRollbackRunWithSkipGatesPassesNoGate() {
    RunHarness back =
        new RunHarness(
            PlanBuilder.of(
                ring("prod")
                    .withGates(GateBuilder.approval("change-board"))
                    .withWaves("1", "100%")),
            fleet("prod", 3),
            new DesiredVersion("app", "0.9.0"));
    back.run = back.run.with(new RunControl(false, false, true, true));
    back.runToEnd(50);
    assertThat(back.run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(back.targets.values()).allMatch(t -> t.gates().isEmpty());
  }
}
