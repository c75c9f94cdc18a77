package io.kapro.cli.status;

/**
 * One line of {@code kapro status} without a fleet.
 *
 * @param fleet name
 * @param clusters clusters in the fleet
 * @param run newest run, or null
 * @param phase its phase
 * @param version what it promotes
 * @param converged clusters converged in it
 * @param failed clusters failed in it
 */
public record FleetSummary(
    String fleet,
    int clusters,
    String run,
    String phase,
    String version,
    int converged,
    int failed) {

  static FleetSummary of(FleetView v) {
    return new FleetSummary(
        v.fleet(),
        v.totals().clusters(),
        v.run(),
        v.runPhase(),
        v.version(),
        v.totals().converged(),
        v.totals().failed());
  }
}
