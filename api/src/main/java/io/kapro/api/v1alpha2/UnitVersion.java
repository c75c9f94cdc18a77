package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** A unit name and the version to run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UnitVersion {
  @JsonPropertyDescription("Unit name as declared in the Fleet's spec.units.")
  @Required
  @Pattern(Patterns.DNS_LABEL)
  private String name;

  @JsonPropertyDescription(
      "Version to promote (chart version, tag, digest, commit or revision, per the unit's field).")
  @Required
  @Size(min = 1, max = 256)
  private String version;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof UnitVersion that)) {
      return false;
    }
    return Objects.equals(name, that.name) && Objects.equals(version, that.version);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, version);
  }

  @Override
  public String toString() {
    return "UnitVersion{name=" + name + ", version=" + version + "}";
  }
}
