package io.kapro.hub.plan;

import java.util.List;
import java.util.Map;

/**
 * A Kubernetes-style label selector over Cluster labels: every matchLabels pair and every
 * expression must hold. An empty selector matches every cluster.
 */
public record LabelSelector(
    Map<String, String> matchLabels, List<SelectorRequirement> matchExpressions) {
  public LabelSelector {
    matchLabels = Copies.map(matchLabels);
    matchExpressions = Copies.list(matchExpressions);
  }

  public static LabelSelector matchLabels(Map<String, String> labels) {
    return new LabelSelector(labels, List.of());
  }

  public static LabelSelector everything() {
    return new LabelSelector(Map.of(), List.of());
  }

  public LabelSelector and(SelectorRequirement requirement) {
    var all = new java.util.ArrayList<>(matchExpressions);
    all.add(requirement);
    return new LabelSelector(matchLabels, all);
  }

  /** Whether a cluster with these labels is selected. Assumes a validated selector. */
  public boolean matches(Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    for (var e : matchLabels.entrySet()) {
      if (!e.getValue().equals(l.get(e.getKey()))) {
        return false;
      }
    }
    for (SelectorRequirement r : matchExpressions) {
      if (!r.matches(l)) {
        return false;
      }
    }
    return true;
  }
}
