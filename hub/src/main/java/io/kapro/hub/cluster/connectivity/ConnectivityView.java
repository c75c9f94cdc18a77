package io.kapro.hub.cluster.connectivity;

import io.kapro.hub.ca.ClusterId;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Read side of connectivity, for the Cluster reconciler: the current judgement per cluster, and a
 * listener called on every change of the {@code Connected} status (or of the agent version or
 * certificate after a new hello).
 */
public interface ConnectivityView {

  /** This replica's knowledge of {@code cluster}; empty if no agent ever said hello here. */
  Optional<Connectivity> connectivity(ClusterId cluster);

  /** Every cluster this replica knows about. */
  Map<ClusterId, Connectivity> all();

  /** Called (on the tracker's thread) with the cluster and its new connectivity. */
  void addListener(BiConsumer<ClusterId, Connectivity> listener);
}
