package io.kapro.agent.drift;

/**
 * A managed field that no longer holds the bundle's value.
 *
 * @param path the field path as written in the bundle
 * @param desired the bundle's value
 * @param observed what the object holds now, empty when the field is absent or not a string
 */
public record FieldDrift(String path, String desired, String observed) {
  @Override
  public String toString() {
    return path + " is '" + observed + "', the bundle set '" + desired + "'";
  }
}
