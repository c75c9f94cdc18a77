package io.kapro.hub.engine;

import java.util.Map;

/**
 * A Cluster as the engine sees it: labels (stage membership), connectivity, and per unit the
 * version proven by evidence and the one before it (what a rollback returns to).
 */
public record ClusterState(
    String name,
    Map<String, String> labels,
    Reachability connectivity,
    Map<String, String> versions,
    Map<String, String> previousVersions) {
  public ClusterState {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    connectivity = connectivity == null ? Reachability.Unknown : connectivity;
    versions = versions == null ? Map.of() : Map.copyOf(versions);
    previousVersions = previousVersions == null ? Map.of() : Map.copyOf(previousVersions);
  }

  public static ClusterState connected(String name, Map<String, String> labels) {
    return new ClusterState(name, labels, Reachability.Connected, Map.of(), Map.of());
  }

  /**
   * The version a rollback of this run should restore for {@code unit}: the proven current version
   * if the run's version never landed, otherwise the one before it; null if none is recorded.
   */
  public String rollbackVersion(String unit, String runVersion) {
    String current = versions.get(unit);
    if (current != null && !current.equals(runVersion)) {
      return current;
    }
    String previous = previousVersions.get(unit);
    return previous != null && !previous.equals(runVersion) ? previous : null;
  }
}
