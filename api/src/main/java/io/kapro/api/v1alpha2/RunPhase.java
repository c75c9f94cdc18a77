package io.kapro.api.v1alpha2;

/** Phase of a PromotionRun. */
public enum RunPhase {
  Pending,
  Running,
  WaitingForApproval,
  Succeeded,
  Failed,
  Halted,
  RollingBack,
  RolledBack,
  Superseded,
  /**
   * Paused by a person (Promotion spec.paused): nothing new is published; in-flight Targets finish.
   */
  Paused,
  /** Aborted by a person (Promotion spec.abort): unstarted Targets were Cancelled. */
  Aborted;

  /** The run is over: no phase follows. */
  public boolean terminal() {
    return this == Succeeded
        || this == Failed
        || this == Halted
        || this == RolledBack
        || this == Superseded
        || this == Aborted;
  }
}
