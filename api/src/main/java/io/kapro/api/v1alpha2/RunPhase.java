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
  Superseded
}
