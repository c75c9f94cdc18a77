package io.kapro.hub.plan;

import java.util.List;
import java.util.Map;

/**
 * One matchExpressions entry: {@code key}, {@code operator} (In, NotIn, Exists, DoesNotExist) and
 * {@code values}. The operator stays a string so that a bad one is reported, not guessed.
 */
public record SelectorRequirement(String key, String operator, List<String> values) {
  public SelectorRequirement {
    values = Copies.list(values);
  }

  public static SelectorRequirement in(String key, String... values) {
    return new SelectorRequirement(key, "In", List.of(values));
  }

  public static SelectorRequirement notIn(String key, String... values) {
    return new SelectorRequirement(key, "NotIn", List.of(values));
  }

  public static SelectorRequirement exists(String key) {
    return new SelectorRequirement(key, "Exists", List.of());
  }

  public static SelectorRequirement doesNotExist(String key) {
    return new SelectorRequirement(key, "DoesNotExist", List.of());
  }

  boolean matches(Map<String, String> labels) {
    String value = labels.get(key);
    return switch (operator) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default -> throw new IllegalStateException("unvalidated selector operator " + operator);
    };
  }
}
