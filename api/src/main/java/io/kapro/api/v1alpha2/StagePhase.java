package io.kapro.api.v1alpha2;

/** Phase of one stage of a run. */
public enum StagePhase {
  Pending,
  Waiting,
  Running,
  Soaking,
  Succeeded,
  Failed,
  Skipped
}
