package io.kapro.api.validation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Finds the cycles of a dependency graph (depth-first; each cycle reported once). */
final class CycleFinder {
  private final Map<String, List<String>> edges;
  private final Map<String, Integer> state = new HashMap<>();
  private final List<String> stack = new ArrayList<>();
  private final List<List<String>> cycles = new ArrayList<>();
  private final Set<Set<String>> reported = new HashSet<>();

  /**
   * @param edges node -> the nodes it depends on, in declaration order
   */
  CycleFinder(Map<String, List<String>> edges) {
    this.edges = edges;
  }

  /** Each cycle as a path that starts and ends at the same node, e.g. [a, b, a]. */
  List<List<String>> cycles() {
    for (String node : edges.keySet()) {
      if (!state.containsKey(node)) {
        visit(node);
      }
    }
    return cycles;
  }

  private void visit(String node) {
    state.put(node, 1);
    stack.add(node);
    for (String next : edges.getOrDefault(node, List.of())) {
      Integer s = state.get(next);
      if (s == null) {
        visit(next);
      } else if (s == 1) {
        List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(next), stack.size()));
        if (reported.add(new HashSet<>(cycle))) {
          cycle.add(next);
          cycles.add(cycle);
        }
      }
    }
    stack.remove(stack.size() - 1);
    state.put(node, 2);
  }
}
