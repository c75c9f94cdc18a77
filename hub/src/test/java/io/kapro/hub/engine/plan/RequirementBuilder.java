package io.kapro.hub.engine.plan;

import io.kapro.api.v1alpha2.LabelSelectorRequirement;
import io.kapro.api.v1alpha2.SelectorOperator;
import java.util.ArrayList;
import java.util.List;

/** Builds one matchExpressions entry for tests. */
public record RequirementBuilder(String key, String operator, List<String> values) {
  public RequirementBuilder {
    values = Copies.list(values);
  }

  public static RequirementBuilder in(String key, String... values) {
    return new RequirementBuilder(key, "In", List.of(values));
  }

  public static RequirementBuilder notIn(String key, String... values) {
    return new RequirementBuilder(key, "NotIn", List.of(values));
  }

  public static RequirementBuilder exists(String key) {
    return new RequirementBuilder(key, "Exists", List.of());
  }

  public static RequirementBuilder doesNotExist(String key) {
    return new RequirementBuilder(key, "DoesNotExist", List.of());
  }

  /** The api requirement. */
  public LabelSelectorRequirement toApi() {
    LabelSelectorRequirement r = new LabelSelectorRequirement();
    r.setKey(key);
    r.setOperator(operator == null ? null : SelectorOperator.valueOf(operator));
    r.setValues(values.isEmpty() ? null : new ArrayList<>(values));
    return r;
  }
}
