package io.kapro.agent.config;

/**
 * Who this agent speaks for: the Cluster object on the hub.
 *
 * @param namespace the Cluster's namespace on the hub (the tenancy boundary)
 * @param name the Cluster's name
 */
public record ClusterIdentity(String namespace, String name) {
  /** The identity its certificate carries: {@code spiffe://kapro/ns/<namespace>/cluster/<name>}. */
  public String spiffeId() {
    return "spiffe://kapro/ns/" + namespace + "/cluster/" + name;
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
