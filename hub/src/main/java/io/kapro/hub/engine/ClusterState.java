package io.kapro.hub.engine;

import io.kapro.api.v1alpha2.ClusterConnectivity;
import java.time.Instant;
import java.util.Map;

/**
 * A Cluster as the engine sees it: labels (stage membership), its connectivity model and
 * reachability (and since when it is reachable), and per unit the version proven by evidence and
 * the one before it (what a rollback returns to).
 */
public record ClusterState(
    String name,
    Map<String, String> labels,
    Reachability connectivity,
    Map<String, String> versions,
    Map<String, String> previousVersions,
    ClusterConnectivity model,
    Instant reachableSince) {
  public ClusterState {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    connectivity = connectivity == null ? Reachability.Unknown : connectivity;
    versions = versions == null ? Map.of() : Map.copyOf(versions);
    previousVersions = previousVersions == null ? Map.of() : Map.copyOf(previousVersions);
    model = model == null ? ClusterConnectivity.Connected : model;
  }

  /** A {@code Connected}-model cluster. */
  public ClusterState(
      String name,
      Map<String, String> labels,
      Reachability connectivity,
      Map<String, String> versions,
      Map<String, String> previousVersions) {
    this(name, labels, connectivity, versions, previousVersions, null, null);
  }

  public static ClusterState connected(String name, Map<String, String> labels) {
    return new ClusterState(name, labels, Reachability.Connected, Map.of(), Map.of());
  }

  /** The hub can reach it now: a Connected-model cluster whose Connected condition is True. */
  public boolean reachable() {
    return model == ClusterConnectivity.Connected && connectivity == Reachability.Connected;
  }

  /** Why the engine cannot reach it, for messages; null while reachable. */
  public String unreachableWhy() {
    if (model == ClusterConnectivity.AirGapped) {
      return "cluster " + name + " is AirGapped";
    }
    return reachable() ? null : "cluster " + name + " has Connected=" + connectivity;
  }

  /** This cluster with another reachability (a test or simulation moving it). */
  public ClusterState withConnectivity(Reachability r, Instant since) {
    return new ClusterState(name, labels, r, versions, previousVersions, model, since);
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
