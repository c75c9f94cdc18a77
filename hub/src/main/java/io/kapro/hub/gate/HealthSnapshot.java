package io.kapro.hub.gate;

import java.time.Instant;
import java.util.List;

/**
 * The Targets a health or soak gate looks at (the previous wave, or the upstream stages for a first
 * wave): how many are Converged, still unfinished, or Degraded/Failed, and for the latter which
 * cluster, since when and what its evidence says (unit, phase, the controller's reason).
 */
public record HealthSnapshot(
    int converged, int unfinished, int unhealthy, List<Unhealthy> unhealthyTargets) {
  public static final HealthSnapshot EMPTY = new HealthSnapshot(0, 0, 0);

  public HealthSnapshot {
    unhealthyTargets = unhealthyTargets == null ? List.of() : List.copyOf(unhealthyTargets);
  }

  public HealthSnapshot(int converged, int unfinished, int unhealthy) {
    this(converged, unfinished, unhealthy, List.of());
  }

  /**
   * One Degraded or Failed Target.
   *
   * @param cluster its cluster
   * @param since when it entered that phase (null if unknown)
   * @param message its status message (the agent's evidence: unit, phase, upstream reason)
   */
  public record Unhealthy(String cluster, Instant since, String message) {
    @Override
    public String toString() {
      return "cluster " + cluster + (message == null || message.isEmpty() ? "" : ": " + message);
    }
  }

  /** The unhealthy Targets that became so at or after {@code from}. */
  public List<Unhealthy> since(Instant from) {
    return unhealthyTargets.stream()
        .filter(u -> u.since() != null && !u.since().isBefore(from))
        .toList();
  }
}
