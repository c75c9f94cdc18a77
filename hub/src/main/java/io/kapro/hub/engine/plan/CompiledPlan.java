package io.kapro.hub.engine.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A plan that passed validation: stages in plan order and in dependency order. */
public record CompiledPlan(
    List<StagePlan> stages, List<StagePlan> topologicalOrder, boolean allowOverlap) {
  public CompiledPlan {
    stages = List.copyOf(stages);
    topologicalOrder = List.copyOf(topologicalOrder);
  }

  public StagePlan stage(String name) {
    for (StagePlan s : stages) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no stage " + name);
  }

  public Map<String, StagePlan> byName() {
    Map<String, StagePlan> m = new LinkedHashMap<>();
    stages.forEach(s -> m.put(s.name(), s));
    return m;
  }
}
