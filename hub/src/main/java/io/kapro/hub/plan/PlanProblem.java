package io.kapro.hub.plan;

/**
 * One thing wrong with a plan: the field path (e.g. {@code spec.stages[1].dependsOn[0]}) and what
 * to do.
 */
public record PlanProblem(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
