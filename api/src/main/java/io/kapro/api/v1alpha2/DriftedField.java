package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A managed field that no longer holds the bundle's value, as the agent reported it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DriftedField {
  @JsonPropertyDescription("Field path as written in the bundle, e.g. spec.chart.spec.version.")
  private String path;

  @JsonPropertyDescription("The bundle's value.")
  private String desired;

  @JsonPropertyDescription("What the object holds now (empty when absent).")
  private String observed;

  public DriftedField() {}

  public DriftedField(String path, String desired, String observed) {
    this.path = path;
    this.desired = desired;
    this.observed = observed;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public String getDesired() {
    return desired;
  }

  public void setDesired(String desired) {
    this.desired = desired;
  }

  public String getObserved() {
    return observed;
  }

  public void setObserved(String observed) {
    this.observed = observed;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DriftedField that
        && Objects.equals(path, that.path)
        && Objects.equals(desired, that.desired)
        && Objects.equals(observed, that.observed);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, desired, observed);
  }

  @Override
  public String toString() {
    return path + " is '" + observed + "', the bundle set '" + desired + "'";
  }
}
