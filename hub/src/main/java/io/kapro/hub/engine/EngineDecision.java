package io.kapro.hub.engine;

import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.validation.Violation;
import io.kapro.hub.gate.GateCheck;
import io.kapro.hub.gate.GateOutcome;
import io.kapro.hub.gate.WebhookRequest;
import java.util.List;

/**
 * One thing the engine wants done. Applied in list order: spec rejection, stage and run transitions
 * (the latches) first, then webhook calls, then Target changes, so that a hub that dies half-way
 * re-derives the rest from the latches on its next step.
 */
public sealed interface EngineDecision {

  /** The plan is invalid: set {@code Ready=False, reason=InvalidSpec} with these problems. */
  record RejectSpec(List<Violation> problems) implements EngineDecision {
    public RejectSpec {
      problems = List.copyOf(problems);
    }
  }

  /** Record a stage's new progress (phase, current wave, times, message). */
  record StageTransition(StagePhase from, StageProgress to) implements EngineDecision {}

  /** Record the run's new phase; a terminal phase completes the run. */
  record RunTransition(RunPhase from, RunPhase to, String message) implements EngineDecision {}

  /** Call a webhook gate for one wave and hand its answer back as a WebhookObservation. */
  record CallWebhook(GateCheck.WebhookCheck gate, WebhookRequest request)
      implements EngineDecision {}

  /**
   * Take one measurement of a metrics gate for one Target (the query filled in with its cluster,
   * the stage, the run and each unit) and record it on the Target's gate status.
   */
  record MeasureMetrics(
      GateCheck.MetricsCheck gate,
      String run,
      String stage,
      String cluster,
      int wave,
      List<DesiredVersion> units)
      implements EngineDecision {
    public MeasureMetrics {
      units = List.copyOf(units);
    }
  }

  /** A decision about one Target. */
  sealed interface TargetDecision extends EngineDecision {
    String stage();

    String cluster();

    default TargetKey key() {
      return new TargetKey(stage(), cluster());
    }
  }

  /** Create the Target (phase Pending) for this cluster × stage, in this wave. */
  record CreateTarget(String stage, String cluster, int wave, List<DesiredVersion> units)
      implements TargetDecision {
    public CreateTarget {
      units = List.copyOf(units);
    }
  }

  /** Keep the Target in phase Waiting, recording the gate results and why it waits. */
  record HoldTarget(String stage, String cluster, List<GateOutcome> gates, String message)
      implements TargetDecision {
    public HoldTarget {
      gates = List.copyOf(gates);
    }
  }

  /** Gates passed and a slot is free: phase Publishing, so the publisher issues its bundle. */
  record MarkEligible(String stage, String cluster, List<GateOutcome> gates)
      implements TargetDecision {
    public MarkEligible {
      gates = List.copyOf(gates);
    }
  }

  /** Phase Failed, with a CamelCase reason (GateFailed, TimedOut, Unreachable) and a message. */
  record FailTarget(String stage, String cluster, String reason, String message)
      implements TargetDecision {}

  /** Phase Skipped: the Target will not be published. */
  record SkipTarget(String stage, String cluster, String message) implements TargetDecision {}

  /** Phase Cancelled: the run was aborted before this Target was published. */
  record CancelTarget(String stage, String cluster, String message) implements TargetDecision {}

  /** Phase Superseded: a newer run took over. */
  record SupersedeTarget(String stage, String cluster, String message) implements TargetDecision {}

  /**
   * Turn the Target into a rollback: spec {@code rollback=true} and {@code units} set to each
   * unit's previous version, phase Publishing, so a new bundle with a higher sequence goes out.
   */
  record RollbackTarget(String stage, String cluster, List<DesiredVersion> units)
      implements TargetDecision {
    public RollbackTarget {
      units = List.copyOf(units);
    }
  }
}
