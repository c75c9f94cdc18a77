package io.kapro.cli.status;

import java.util.List;

/**
 * What {@code kapro status <fleet>} shows (also its JSON/YAML shape).
 *
 * @param fleet fleet name
 * @param namespace namespace
 * @param run the newest run of the fleet, or null
 * @param runPhase its phase
 * @param runMessage what its Ready condition says beyond the phase (e.g. the unreachable clusters
 *     it waits for), or null
 * @param version the versions it promotes ({@code web=1.2.3,api=...})
 * @param stages the run's stages in plan order
 * @param clusters one row per cluster of the fleet
 * @param totals counts over the clusters
 */
public record FleetView(
    String fleet,
    String namespace,
    String run,
    String runPhase,
    String runMessage,
    String version,
    List<StageRow> stages,
    List<ClusterRow> clusters,
    Totals totals) {

  /** One stage of the run. */
  public record StageRow(String name, String phase, Integer currentWave, String message) {}

  /**
   * One cluster.
   *
   * @param stage the stage it belongs to in the run (or by the plan's selectors), or null
   * @param cluster name
   * @param version proven versions ({@code web=1.2.3}), from the agent's evidence
   * @param phase its Target's phase in the run, or null when the run does not include it
   * @param since when that phase (or else the proven version) began
   * @param connected the Connected condition (True, Unknown, False)
   * @param desired the versions the run wants there
   * @param message the Target's message
   * @param sequence bundle sequence acknowledged/published
   * @param health what the agent's evidence says after convergence, empty when healthy and in sync:
   *     {@code Degraded:<upstream reason>}, {@code Drifted:FieldDrifted}, {@code
   *     Drifted:OwnerConflict}, joined by {@code ,}
   */
  public record ClusterRow(
      String stage,
      String cluster,
      String version,
      String phase,
      String since,
      String connected,
      String desired,
      String message,
      String sequence,
      String health) {}

  /** Counts over the fleet's clusters. */
  public record Totals(
      int clusters, int converged, int inFlight, int waiting, int failed, int notInRun) {}
}
