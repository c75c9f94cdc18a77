package io.kapro.hub.engine;

import io.kapro.api.v1alpha2.OnFailure;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.engine.plan.CompiledPlan;
import io.kapro.hub.engine.plan.PlanCompiler;
import io.kapro.hub.engine.plan.PlanValidation;
import io.kapro.hub.engine.plan.StageMembership;
import io.kapro.hub.engine.plan.StagePlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The promotion engine. {@link #decide} is a pure function of its input: the same input gives the
 * same decisions, and applying them and deciding again gives no new Target for a cluster × stage
 * that already has one. Stage and run latches come first in the output so that a partial apply is
 * completed by the next step.
 */
public final class RunEngine {
  private RunEngine() {}

  public static EngineResult decide(EngineInput in) {
    PlanValidation validation = PlanCompiler.compile(in.plan());
    List<io.kapro.api.validation.Violation> problems = new ArrayList<>();
    if (validation instanceof PlanValidation.Invalid invalid) {
      problems.addAll(invalid.violations());
    }
    problems.addAll(RunChecks.problems(in.run()));
    if (!problems.isEmpty()) {
      String message = String.join("; ", problems.stream().map(Object::toString).toList());
      return rejected(in, problems, message);
    }
    CompiledPlan plan = ((PlanValidation.Valid) validation).plan();
    Map<String, Map<String, String>> labels = new LinkedHashMap<>();
    in.clusters().forEach(c -> labels.put(c.name(), c.labels()));
    StageMembership membership = StageMembership.of(plan, labels);
    RunState run = in.run();
    if (!membership.problems().isEmpty() && run.phase() == RunPhase.Pending) {
      String message =
          String.join("; ", membership.problems().stream().map(Object::toString).toList());
      return rejected(in, membership.problems(), message);
    }
    Step step = new Step(in, plan, membership);
    RunPhase next = run.phase();
    String message = null;
    if (run.phase().terminal()) {
      Consequences.cleanUp(step, run.phase());
    } else if (run.superseded()) {
      next = RunPhase.Superseded;
      message = "superseded by a newer run";
      Consequences.cleanUp(step, next);
    } else if (run.control().abort()) {
      next = RunPhase.Aborted;
      message = "aborted (Promotion spec.abort); Targets not yet publishing were Cancelled";
      Consequences.cleanUp(step, next);
    } else {
      RunOutcome outcome = progress(step, plan);
      next = outcome.phase();
      message = outcome.message();
    }
    return result(step, run.phase(), next, message, List.of());
  }

  /**
   * One step of a live run: stages in dependency order, then failure policies, then the run phase.
   */
  private static RunOutcome progress(Step step, CompiledPlan plan) {
    boolean stopping = step.in.run().phase() == RunPhase.RollingBack;
    for (StagePlan s : plan.topologicalOrder()) {
      if (step.progress(s.name()).phase().done() || stopping) {
        continue;
      }
      String failure = new StageStepper(step, s).advance();
      if (failure != null) {
        Consequences.stageFailed(step, s, failure);
        stopping |= s.onFailure() != OnFailure.Skip;
      }
    }
    Consequences.applyLatches(step);
    return RunOutcome.of(step);
  }

  private static EngineResult rejected(
      EngineInput in, List<io.kapro.api.validation.Violation> problems, String message) {
    RunState run = in.run();
    Step step = new Step(in, new CompiledPlan(List.of(), List.of(), false), null);
    List<EngineDecision> head = new ArrayList<>();
    if (run.phase().terminal()) {
      Consequences.cleanUp(step, run.phase());
      return result(step, run.phase(), run.phase(), null, head);
    }
    head.add(new EngineDecision.RejectSpec(problems));
    Consequences.cleanUp(step, RunPhase.Failed);
    return result(step, run.phase(), RunPhase.Failed, "InvalidSpec: " + message, head);
  }

  private static EngineResult result(
      Step step, RunPhase from, RunPhase to, String message, List<EngineDecision> head) {
    List<EngineDecision> decisions = new ArrayList<>(head);
    for (StageProgress p : step.progress.values()) {
      StageProgress before = step.initial.get(p.name());
      if (!p.equals(before)) {
        decisions.add(new EngineDecision.StageTransition(before.phase(), p));
        if (before.phase() != p.phase()) {
          step.audit(
              "Stage" + p.phase(),
              p.name()
                  + ": "
                  + before.phase()
                  + " → "
                  + p.phase()
                  + (p.message() == null ? "" : " (" + p.message() + ")"));
        }
      }
    }
    if (from != to) {
      decisions.add(new EngineDecision.RunTransition(from, to, message));
      step.audit("Run" + to, "run " + from + " → " + to + (message == null ? "" : ": " + message));
    }
    decisions.addAll(step.webhookCalls);
    decisions.addAll(step.targetDecisions);
    return new EngineResult(
        decisions, summary(step), step.audit, to.terminal() ? null : step.wake, message);
  }

  private static RunCounts summary(Step step) {
    int total = 0;
    int pending = 0;
    int inFlight = 0;
    int converged = 0;
    int failed = 0;
    int skipped = 0;
    for (TargetPhase phase : step.projected.values()) {
      total++;
      switch (phase) {
        case Pending, Waiting -> pending++;
        case Publishing, Published, Applied, Progressing -> inFlight++;
        case Converged -> converged++;
        case Degraded, Failed -> failed++;
        case Skipped, Superseded, Cancelled -> skipped++;
      }
    }
    return new RunCounts(total, pending, inFlight, converged, failed, skipped);
  }
}
