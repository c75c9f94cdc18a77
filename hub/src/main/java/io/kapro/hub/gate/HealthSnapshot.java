package io.kapro.hub.gate;

/**
 * The Targets a health gate looks at (the previous wave, or the upstream stages for a first wave):
 * how many are Converged, still unfinished, or Degraded/Failed.
 */
public record HealthSnapshot(int converged, int unfinished, int unhealthy) {
  public static final HealthSnapshot EMPTY = new HealthSnapshot(0, 0, 0);
}
