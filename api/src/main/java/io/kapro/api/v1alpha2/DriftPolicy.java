package io.kapro.api.v1alpha2;

/** What agents do when a managed field no longer holds the bundle's value. */
public enum DriftPolicy {
  /** Report the drift as evidence; change nothing. */
  Report,
  /** Put the bundle's value back (rate-limited by the agent) and report each reapply. */
  Reapply
}
