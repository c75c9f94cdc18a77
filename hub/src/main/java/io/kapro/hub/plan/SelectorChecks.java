package io.kapro.hub.plan;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Validates a label selector, naming the field of each problem. */
final class SelectorChecks {
  private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

  private SelectorChecks() {}

  static void check(String field, LabelSelector selector, List<PlanProblem> problems) {
    if (selector == null) {
      problems.add(new PlanProblem(field, "required; use {} to select every cluster of the fleet"));
      return;
    }
    for (Map.Entry<String, String> e : selector.matchLabels().entrySet()) {
      if (e.getKey() == null || e.getKey().isBlank()) {
        problems.add(new PlanProblem(field + ".matchLabels", "label keys must not be empty"));
      } else if (e.getValue() == null) {
        problems.add(
            new PlanProblem(
                field + ".matchLabels." + e.getKey(), "needs a value (\"\" is allowed)"));
      }
    }
    List<SelectorRequirement> expressions = selector.matchExpressions();
    for (int k = 0; k < expressions.size(); k++) {
      String f = field + ".matchExpressions[" + k + "]";
      SelectorRequirement r = expressions.get(k);
      if (r == null) {
        problems.add(new PlanProblem(f, "must not be null"));
        continue;
      }
      if (r.key() == null || r.key().isBlank()) {
        problems.add(new PlanProblem(f + ".key", "required"));
      }
      if (r.operator() == null || !OPERATORS.contains(r.operator())) {
        problems.add(
            new PlanProblem(
                f + ".operator",
                "\""
                    + Durations.shorten(r.operator())
                    + "\" is not one of In, NotIn, Exists, DoesNotExist"));
        continue;
      }
      boolean needsValues = r.operator().equals("In") || r.operator().equals("NotIn");
      if (needsValues && r.values().isEmpty()) {
        problems.add(new PlanProblem(f + ".values", r.operator() + " needs at least one value"));
      } else if (!needsValues && !r.values().isEmpty()) {
        problems.add(new PlanProblem(f + ".values", r.operator() + " takes no values"));
      } else if (r.values().contains(null)) {
        problems.add(new PlanProblem(f + ".values", "values must not be null"));
      }
    }
  }
}
