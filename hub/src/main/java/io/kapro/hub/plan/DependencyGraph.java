package io.kapro.hub.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Orders stages so that every stage comes after its dependencies, or reports a cycle. */
final class DependencyGraph {
  private DependencyGraph() {}

  /** Kahn's algorithm, stable in plan order; on a cycle adds one problem per cycle found. */
  static List<StagePlan> topologicalOrder(List<StagePlan> stages, List<PlanProblem> problems) {
    Map<String, StagePlan> byName = new HashMap<>();
    stages.forEach(s -> byName.put(s.name(), s));
    Map<String, Integer> remainingDeps = new HashMap<>();
    stages.forEach(s -> remainingDeps.put(s.name(), s.dependsOn().size()));
    List<StagePlan> order = new ArrayList<>();
    boolean progress = true;
    while (progress && order.size() < stages.size()) {
      progress = false;
      for (StagePlan s : stages) {
        if (remainingDeps.get(s.name()) == 0 && !order.contains(s)) {
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
      reportCycles(stages, byName, order, problems);
    }
    return order;
  }

  private static void reportCycles(
      List<StagePlan> stages,
      Map<String, StagePlan> byName,
      List<StagePlan> ordered,
      List<PlanProblem> problems) {
    List<String> reported = new ArrayList<>();
    for (StagePlan start : stages) {
      if (ordered.contains(start) || reported.contains(start.name())) {
        continue;
      }
      // Walk dependencies that are themselves unordered until a name repeats: that is a cycle.
      List<String> path = new ArrayList<>();
      StagePlan current = start;
      while (!path.contains(current.name())) {
        path.add(current.name());
        StagePlan next = null;
        for (String d : current.dependsOn()) {
          StagePlan dep = byName.get(d);
          if (!ordered.contains(dep)) {
            next = dep;
            break;
          }
        }
        current = next;
      }
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(current.name()), path.size()));
      if (cycle.stream().anyMatch(reported::contains)) {
        reported.addAll(path);
        continue;
      }
      reported.addAll(path);
      StagePlan first = byName.get(cycle.get(0));
      for (String n : cycle) {
        if (byName.get(n).index() < first.index()) {
          first = byName.get(n);
        }
      }
      // Print the cycle from its first stage in plan order, following "depends on" arrows.
      int at = cycle.indexOf(first.name());
      List<String> printed = new ArrayList<>();
      for (int k = 0; k <= cycle.size(); k++) {
        printed.add(cycle.get((at + k) % cycle.size()));
      }
      problems.add(
          new PlanProblem(
              first.field() + ".dependsOn",
              "dependency cycle "
                  + String.join(" → ", printed)
                  + " (read \"a → b\" as \"a depends on b\"); remove one of these dependencies"));
    }
  }
}
