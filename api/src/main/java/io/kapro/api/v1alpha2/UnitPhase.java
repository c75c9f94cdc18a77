package io.kapro.api.v1alpha2;

/** Phase of one unit on a workload cluster, as the agent reports it. */
public enum UnitPhase {
  Pending,
  Applied,
  Progressing,
  Converged,
  Degraded,
  Failed
}
