package io.kapro.hub.engine.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Orders the stages of a validated (acyclic) plan so that every stage follows its dependencies. */
final class DependencyGraph {
  private DependencyGraph() {}

  /** Kahn's algorithm, stable in plan order. */
  static List<StagePlan> topologicalOrder(List<StagePlan> stages) {
    Map<String, Integer> remainingDeps = new HashMap<>();
    stages.forEach(s -> remainingDeps.put(s.name(), s.dependsOn().size()));
    List<StagePlan> order = new ArrayList<>();
    boolean progress = true;
    while (progress && order.size() < stages.size()) {
      progress = false;
      for (StagePlan s : stages) {
        if (remainingDeps.get(s.name()) == 0) {
          order.add(s);
          remainingDeps.put(s.name(), -1);
          for (StagePlan t : stages) {
            if (t.dependsOn().contains(s.name())) {
              remainingDeps.merge(t.name(), -1, Integer::sum);
            }
          }
          progress = true;
        }
      }
    }
    if (order.size() < stages.size()) {
      throw new IllegalStateException("dependency cycle in a plan that passed validation");
    }
    return order;
  }
}
