package io.kapro.hub.events;

import java.util.Arrays;
import java.util.Optional;

/** The CloudEvents types the hub emits, with the Kubernetes Event reason each maps to. */
public enum EventType {
  RUN_STARTED("io.kapro.run.started", "RunStarted", false),
  RUN_SUCCEEDED("io.kapro.run.succeeded", "RunSucceeded", false),
  RUN_FAILED("io.kapro.run.failed", "RunFailed", true),
  RUN_HALTED("io.kapro.run.halted", "RunHalted", true),
  RUN_SUPERSEDED("io.kapro.run.superseded", "RunSuperseded", false),
  RUN_ROLLEDBACK("io.kapro.run.rolledback", "RunRolledBack", true),
  RUN_ABORTED("io.kapro.run.aborted", "RunAborted", true),
  STAGE_STARTED("io.kapro.stage.started", "StageStarted", false),
  STAGE_COMPLETED("io.kapro.stage.completed", "StageCompleted", false),
  STAGE_FAILED("io.kapro.stage.failed", "StageFailed", true),
  WAVE_STARTED("io.kapro.wave.started", "WaveStarted", false),
  WAVE_COMPLETED("io.kapro.wave.completed", "WaveCompleted", false),
  TARGET_PUBLISHED("io.kapro.target.published", "TargetPublished", false),
  TARGET_CONVERGED("io.kapro.target.converged", "TargetConverged", false),
  TARGET_DEGRADED("io.kapro.target.degraded", "TargetDegraded", true),
  TARGET_FAILED("io.kapro.target.failed", "TargetFailed", true),
  APPROVAL_REQUIRED("io.kapro.approval.required", "ApprovalRequired", false),
  APPROVAL_GRANTED("io.kapro.approval.granted", "ApprovalGranted", false),
  APPROVAL_REJECTED("io.kapro.approval.rejected", "ApprovalRejected", true);

  private final String type;
  private final String reason;
  private final boolean warning;

  EventType(String type, String reason, boolean warning) {
    this.type = type;
    this.reason = reason;
    this.warning = warning;
  }

  /** The CloudEvents {@code type} attribute. */
  public String type() {
    return type;
  }

  /** The CamelCase reason of the Kubernetes Event. */
  public String reason() {
    return reason;
  }

  /** Whether the Kubernetes Event is of type Warning. */
  public boolean warning() {
    return warning;
  }

  public static Optional<EventType> of(String type) {
    return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst();
  }
}
