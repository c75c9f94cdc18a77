package io.kapro.api.validation;

import io.kapro.api.v1alpha2.LabelSelector;
import io.kapro.api.v1alpha2.LabelSelectorRequirement;
import io.kapro.api.v1alpha2.SelectorOperator;
import java.util.List;
import java.util.Map;

/** Label selector checks. */
final class SelectorRules {
  private SelectorRules() {}

  static void check(Problems p, String path, LabelSelector selector) {
    if (selector == null) {
      return;
    }
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (e.getKey() == null || e.getKey().isBlank()) {
          p.add(path + ".matchLabels", "has an empty key; remove it or name a label");
        } else if (e.getValue() == null) {
          p.add(path + ".matchLabels." + e.getKey(), "needs a value (\"\" is allowed)");
        }
      }
    }
    List<LabelSelectorRequirement> exprs = selector.getMatchExpressions();
    if (exprs == null) {
      return;
    }
    for (int i = 0; i < exprs.size(); i++) {
      String at = path + ".matchExpressions[" + i + "]";
      LabelSelectorRequirement r = exprs.get(i);
      if (r == null) {
        p.add(at, "is empty; remove it");
        continue;
      }
      p.required(at + ".key", r.getKey(), "the label key to test");
      if (!p.required(
          at + ".operator", r.getOperator(), "one of In, NotIn, Exists, DoesNotExist")) {
        continue;
      }
      boolean hasValues = r.getValues() != null && !r.getValues().isEmpty();
      boolean needsValues =
          r.getOperator() == SelectorOperator.In || r.getOperator() == SelectorOperator.NotIn;
      if (needsValues && !hasValues) {
        p.add(at + ".values", "must list at least one value for operator " + r.getOperator());
      } else if (!needsValues && hasValues) {
        p.add(at + ".values", "must be empty for operator " + r.getOperator() + "; remove it");
      } else if (hasValues && r.getValues().stream().anyMatch(java.util.Objects::isNull)) {
        p.add(at + ".values", "has a null entry; remove it");
      }
    }
  }
}
