package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One requirement of a {@link LabelSelector}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LabelSelectorRequirement {
  @JsonPropertyDescription("The label key.")
  @Required
  private String key;

  @JsonPropertyDescription("In, NotIn, Exists or DoesNotExist.")
  @Required
  private SelectorOperator operator;

  @JsonPropertyDescription(
      "Values for In/NotIn (non-empty); must be empty for Exists/DoesNotExist.")
  private List<String> values;

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public SelectorOperator getOperator() {
    return operator;
  }

  public void setOperator(SelectorOperator operator) {
    this.operator = operator;
  }

  public List<String> getValues() {
    return values;
  }

  public void setValues(List<String> values) {
    this.values = values;
  }

  /**
   * Whether the labels satisfy this requirement.
   *
   * @param labels the object's labels, never null
   * @return true when the requirement holds
   */
  public boolean matches(Map<String, String> labels) {
    List<String> vals = values == null ? List.of() : values;
    return switch (operator) {
      case In -> labels.containsKey(key) && vals.contains(labels.get(key));
      case NotIn -> !labels.containsKey(key) || !vals.contains(labels.get(key));
      case Exists -> labels.containsKey(key);
      case DoesNotExist -> !labels.containsKey(key);
    };
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof LabelSelectorRequirement that)) {
      return false;
    }
    return Objects.equals(key, that.key)
        && Objects.equals(operator, that.operator)
        && Objects.equals(values, that.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, operator, values);
  }

  @Override
  public String toString() {
    return "LabelSelectorRequirement{key="
        + key
        + ", operator="
        + operator
        + ", values="
        + values
        + "}";
  }
}
