package io.kapro.hub.target;

import java.util.List;
import java.util.Map;

/**
 * What to publish for one Target: the cluster's bundle carrying these unit versions ({@code units}:
 * name → version), and whether it is a rollback.
 */
public record PublishRequest(
    String namespace,
    String fleet,
    String run,
    String target,
    String stage,
    String cluster,
    Map<String, String> units,
    boolean rollback) {
  public PublishRequest {
    units = Map.copyOf(units);
  }

  public List<String> unitNames() {
    return units.keySet().stream().sorted().toList();
  }
}
