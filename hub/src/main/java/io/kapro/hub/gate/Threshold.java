package io.kapro.hub.gate;

/**
 * A metrics gate's success condition: {@code value OPERATOR threshold}. NaN never satisfies it (a
 * comparison with NaN is false in PromQL and in Argo Rollouts' expressions alike; Flagger refuses
 * NaN as "no values found").
 */
public record Threshold(String operator, double threshold) {
  public Threshold {
    if (!operator.matches(io.kapro.api.v1alpha2.MetricsCondition.OPERATORS)) {
      throw new IllegalArgumentException("unknown operator " + operator);
    }
  }

  /** Whether {@code value} satisfies the condition. */
  public boolean holds(double value) {
    if (Double.isNaN(value)) {
      return false;
    }
    return switch (operator) {
      case "<" -> value < threshold;
      case "<=" -> value <= threshold;
      case ">" -> value > threshold;
      case ">=" -> value >= threshold;
      case "==" -> value == threshold;
      default -> value != threshold;
    };
  }

  @Override
  public String toString() {
    return operator + " " + Measurement.format(threshold);
  }
}
