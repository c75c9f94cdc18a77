package io.kapro.hub.engine.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a label selector for tests; {@link #toApi()} gives the api object. */
public record SelectorBuilder(
    Map<String, String> matchLabels, List<RequirementBuilder> matchExpressions) {
  public SelectorBuilder {
    matchLabels = Copies.map(matchLabels);
    matchExpressions = Copies.list(matchExpressions);
  }

  public static SelectorBuilder matchLabels(Map<String, String> labels) {
    return new SelectorBuilder(labels, List.of());
  }

  public static SelectorBuilder everything() {
    return new SelectorBuilder(Map.of(), List.of());
  }

  public SelectorBuilder and(RequirementBuilder requirement) {
    var all = new java.util.ArrayList<>(matchExpressions);
    all.add(requirement);
    return new SelectorBuilder(matchLabels, all);
  }

  /** The api selector (empty parts left unset, as a manifest would). */
  public io.kapro.api.v1alpha2.LabelSelector toApi() {
    var s = new io.kapro.api.v1alpha2.LabelSelector();
    if (!matchLabels.isEmpty()) {
      s.setMatchLabels(new LinkedHashMap<>(matchLabels));
    }
    if (!matchExpressions.isEmpty()) {
      List<io.kapro.api.v1alpha2.LabelSelectorRequirement> out = new ArrayList<>();
      matchExpressions.forEach(r -> out.add(r == null ? null : r.toApi()));
      s.setMatchExpressions(out);
    }
    return s;
  }
}
