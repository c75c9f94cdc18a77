package io.kapro.hub.engine;

import io.kapro.api.v1alpha2.OnFailure;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.engine.plan.StagePlan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What follows from the latches: a failed stage's policy (halt, skip, roll back), and a finished or
 * superseded run's leftover Targets. Derived from the latches on every step, so a step that was
 * only half applied is completed by the next one.
 */
final class Consequences {
  private Consequences() {}

  /** Latches a stage's failure according to its {@code onFailure}. */
  static void stageFailed(Step step, StagePlan s, String failure) {
    StageProgress p = step.progress(s.name());
    boolean skip = s.onFailure() == OnFailure.Skip;
    step.latch(
        new StageProgress(
            s.name(),
            skip ? StagePhase.Skipped : StagePhase.Failed,
            p.currentWave(),
            p.startedAt() == null ? step.now : p.startedAt(),
            skip ? step.now : null,
            failure + " (onFailure: " + s.onFailure() + ")"));
    step.audit("StageFailure", s.name() + ": " + failure + "; onFailure " + s.onFailure());
  }

  /** Skips unstarted Targets of failed or skipped stages, and starts rollbacks. */
  static void applyLatches(Step step) {
    boolean stopRun = false;
    for (StagePlan s : step.plan.stages()) {
      StageProgress p = step.progress(s.name());
      if (p.phase() == StagePhase.Failed || p.phase() == StagePhase.Skipped) {
        skipUnstarted(
            step,
            step.targets(s.name()),
            "stage " + s.name() + " " + p.phase().name().toLowerCase());
      }
      if (p.phase() == StagePhase.Failed) {
        stopRun = true;
        if (s.onFailure() == OnFailure.Rollback) {
          rollBack(step, s);
        }
      }
    }
    if (stopRun) {
      for (StagePlan s : step.plan.stages()) {
        skipUnstarted(step, step.targets(s.name()), "the run stopped after a stage failed");
      }
    }
  }

  /**
   * Leftovers of a terminal run: unstarted Targets are skipped (cancelled when aborted), or all
   * unfinished superseded.
   */
  static void cleanUp(Step step, RunPhase phase) {
    List<TargetState> all = new ArrayList<>();
    step.targetsByStage.values().forEach(all::addAll);
    all.sort(
        java.util.Comparator.comparing(TargetState::stage).thenComparing(TargetState::cluster));
    for (TargetState t : all) {
      TargetPhase current = step.phase(t);
      if (phase == RunPhase.Superseded && current.unfinished()) {
        step.decide(
            new EngineDecision.SupersedeTarget(t.stage(), t.cluster(), "superseded by a newer run"),
            TargetPhase.Superseded);
      } else if (phase == RunPhase.Aborted && current.unstarted()) {
        step.decide(
            new EngineDecision.CancelTarget(t.stage(), t.cluster(), "run aborted"),
            TargetPhase.Cancelled);
      } else if (phase != RunPhase.Superseded && current.unstarted()) {
        step.decide(
            new EngineDecision.SkipTarget(t.stage(), t.cluster(), "run " + phase),
            TargetPhase.Skipped);
      }
    }
  }

  private static void skipUnstarted(Step step, List<TargetState> targets, String why) {
    for (TargetState t : targets) {
      if (step.phase(t).unstarted()) {
        step.decide(
            new EngineDecision.SkipTarget(t.stage(), t.cluster(), why), TargetPhase.Skipped);
      }
    }
  }

  private static void rollBack(Step step, StagePlan s) {
    List<String> without = new ArrayList<>();
    int requested = 0;
    for (TargetState t : step.targets(s.name())) {
      TargetPhase phase = step.phase(t);
      boolean touched =
          t.publishedAt() != null
              || phase.inFlight()
              || phase == TargetPhase.Converged
              || phase == TargetPhase.Degraded;
      if (t.rollback()) {
        timeOut(step, s, t, phase);
        continue;
      }
      if (!touched) {
        continue;
      }
      List<DesiredVersion> units = rollbackUnits(step, t.cluster());
      if (units.isEmpty()) {
        without.add(t.cluster());
        continue;
      }
      step.decide(
          new EngineDecision.RollbackTarget(s.name(), t.cluster(), units), TargetPhase.Publishing);
      step.rollingBack.add(t.key());
      requested++;
    }
    if (requested > 0 || !without.isEmpty()) {
      step.audit(
          "RollbackRequested",
          s.name()
              + ": rolling back "
              + requested
              + " cluster(s)"
              + (without.isEmpty() ? "" : "; no previous version recorded for " + without));
    }
  }

  /** A rollback that does not converge within the stage timeout fails, so the run can end. */
  private static void timeOut(Step step, StagePlan s, TargetState t, TargetPhase phase) {
    if (!phase.inFlight() || t.publishedAt() == null) {
      return;
    }
    java.time.Instant deadline = t.publishedAt().plus(s.timeout());
    if (step.now.isBefore(deadline)) {
      step.wake(deadline);
      return;
    }
    step.decide(
        new EngineDecision.FailTarget(
            s.name(),
            t.cluster(),
            "TimedOut",
            "rollback not Converged within " + s.timeout() + " of publication"),
        TargetPhase.Failed);
  }

  private static List<DesiredVersion> rollbackUnits(Step step, String cluster) {
    ClusterState c = step.clusters.get(cluster);
    List<DesiredVersion> units = new ArrayList<>();
    if (c == null) {
      return units;
    }
    Set<String> seen = new HashSet<>();
    for (DesiredVersion u : step.in.run().units()) {
      String v = c.rollbackVersion(u.name(), u.version());
      if (v != null && seen.add(u.name())) {
        units.add(new DesiredVersion(u.name(), v));
      }
    }
    return units;
  }
}
