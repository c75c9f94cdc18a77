package io.kapro.hub.gateway;

import io.kapro.agent.v1.Inventory;
import io.kapro.hub.ca.ClusterId;

/** Where an agent's inventory (brownfield discovery) goes: the latest per cluster is kept. */
@FunctionalInterface
public interface InventorySink {
  /** Called on the gRPC thread: must not block on the API server. */
  void record(ClusterId cluster, Inventory inventory);

  /** A sink that drops inventories (a gateway that offers no discovery). */
  InventorySink NONE = (cluster, inventory) -> {};
}
