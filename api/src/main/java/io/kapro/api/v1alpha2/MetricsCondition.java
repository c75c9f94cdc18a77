package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** What every value a metrics query returns must satisfy for a measurement to succeed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricsCondition {
  /** The comparison operators, as written in a Plan. */
  public static final String OPERATORS = "^(<|<=|>|>=|==|!=)$";

  @JsonPropertyDescription("Comparison: <, <=, >, >=, == or !=, as in value OPERATOR threshold.")
  @Required
  @Pattern(OPERATORS)
  private String operator;

  @JsonPropertyDescription("The number every value is compared with, e.g. 0.01.")
  @Required
  private Double threshold;

  public String getOperator() {
    return operator;
  }

  public void setOperator(String operator) {
    this.operator = operator;
  }

  public Double getThreshold() {
    return threshold;
  }

  public void setThreshold(Double threshold) {
    this.threshold = threshold;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof MetricsCondition that)) {
      return false;
    }
    return Objects.equals(operator, that.operator) && Objects.equals(threshold, that.threshold);
  }

  @Override
  public int hashCode() {
    return Objects.hash(operator, threshold);
  }

  @Override
  public String toString() {
    return "MetricsCondition{" + operator + " " + threshold + "}";
  }
}
