package io.kapro.api.v1alpha2;

/** Phase of a Target. */
public enum TargetPhase {
  Pending,
  Waiting,
  Publishing,
  Published,
  Applied,
  Progressing,
  Converged,
  Degraded,
  Failed,
  Skipped,
  Superseded
}
