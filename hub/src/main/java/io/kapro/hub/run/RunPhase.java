package io.kapro.hub.run;

/** A PromotionRun's phase. */
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

  public boolean terminal() {
    return this == Succeeded
        || this == Failed
        || this == Halted
        || this == RolledBack
        || this == Superseded;
  }
}
