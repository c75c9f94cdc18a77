package io.kapro.api.validation;

/**
 * One problem with a spec.
 *
 * @param path the field, e.g. {@code spec.stages[2].dependsOn[0]}
 * @param message what is wrong and how to fix it
 */
public record Violation(String path, String message) {
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
