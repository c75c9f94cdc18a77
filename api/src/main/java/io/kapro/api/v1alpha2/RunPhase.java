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
  Superseded;

  /** The run is over: no phase follows. */
  public boolean terminal() {
    return this == Succeeded
        || this == Failed
        || this == Halted
        || this == RolledBack
        || this == Superseded;
  }
}
