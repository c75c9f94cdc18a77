package io.kapro.hub.engine;

import io.kapro.api.v1alpha2.OnFailure;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.engine.plan.StagePlan;
import java.util.ArrayList;
import java.util.List;

/** The run's phase after a step, from the stage latches and the rollback Targets. */
record RunOutcome(RunPhase phase, String message) {

  static RunOutcome of(Step step) {
    List<String> halted = new ArrayList<>();
    List<String> rolledBack = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    boolean allDone = true;
    for (StagePlan s : step.plan.stages()) {
      StageProgress p = step.progress(s.name());
      allDone &= p.phase().done();
      String line = s.name() + ": " + p.message();
      if (p.phase() == StagePhase.Failed && s.onFailure() == OnFailure.Rollback) {
        rolledBack.add(line);
      } else if (p.phase() == StagePhase.Failed) {
        halted.add(line);
      } else if (p.phase() == StagePhase.Skipped) {
        skipped.add(line);
      }
    }
    if (!halted.isEmpty()) {
      return new RunOutcome(RunPhase.Halted, String.join("; ", halted));
    }
    if (!rolledBack.isEmpty()) {
      return rollback(step, String.join("; ", rolledBack));
    }
    List<String> awaited = awaited(step);
    if (allDone && skipped.isEmpty() && !awaited.isEmpty()) {
      return new RunOutcome(
          RunPhase.Running,
          "every stage succeeded; waiting for evidence from unreachable cluster(s) "
              + awaited
              + " (unreachable: Wait)");
    }
    if (allDone) {
      return skipped.isEmpty()
          ? new RunOutcome(RunPhase.Succeeded, "every stage succeeded")
          : new RunOutcome(
              RunPhase.Failed, "stage(s) skipped after failures: " + String.join("; ", skipped));
    }
    if (step.paused()) {
      return new RunOutcome(
          RunPhase.Paused, "paused (Promotion spec.paused); Targets in flight finish");
    }
    if (step.approvalPending) {
      return new RunOutcome(RunPhase.WaitingForApproval, "waiting for an Approval");
    }
    return step.awaitingUnreachable.isEmpty()
        ? new RunOutcome(RunPhase.Running, null)
        : new RunOutcome(
            RunPhase.Running,
            "waiting for unreachable cluster(s) "
                + step.awaitingUnreachable
                + " up to their stage's maxWait after publication");
  }

  /**
   * Targets of succeeded stages still unfinished: the ones the stage stopped waiting for (an
   * unreachable cluster past maxWait); the run ends once their evidence arrives.
   */
  private static List<String> awaited(Step step) {
    List<String> out = new ArrayList<>();
    for (StagePlan s : step.plan.stages()) {
      if (step.progress(s.name()).phase() != StagePhase.Succeeded) {
        continue;
      }
      for (TargetState t : step.targets(s.name())) {
        if (!t.rollback() && step.phase(t).unfinished()) {
          out.add(s.name() + "/" + t.cluster());
        }
      }
    }
    return out;
  }

  private static RunOutcome rollback(Step step, String why) {
    int unfinished = 0;
    List<String> notConverged = new ArrayList<>();
    for (List<TargetState> targets : step.targetsByStage.values()) {
      for (TargetState t : targets) {
        if (!t.rollback() && !step.rollingBack.contains(t.key())) {
          continue;
        }
        TargetPhase phase = step.phase(t);
        if (phase.unfinished()) {
          unfinished++;
        } else if (phase != TargetPhase.Converged) {
          notConverged.add(t.stage() + "/" + t.cluster());
        }
      }
    }
    if (unfinished > 0) {
      return new RunOutcome(RunPhase.RollingBack, why);
    }
    if (notConverged.isEmpty()) {
      return new RunOutcome(RunPhase.RolledBack, why);
    }
    notConverged.sort(null);
    return new RunOutcome(RunPhase.Failed, why + "; rollback did not converge on " + notConverged);
  }
}
