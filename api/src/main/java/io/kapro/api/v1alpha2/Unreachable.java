package io.kapro.api.v1alpha2;

/**
 * What a stage does with a Target whose cluster it cannot reach now (an {@code AirGapped} cluster,
 * or a {@code Connected} one whose {@code Connected} condition is not {@code True}).
 */
public enum Unreachable {
  /** Publish and wait for evidence; the wave waits up to {@code maxWait}, then goes on. */
  Wait,
  /** Do not publish: the Target is Skipped with the reason, and the run goes on. */
  Skip,
  /** Do not publish: the Target Fails (counts against maxUnavailable). */
  Fail
}
