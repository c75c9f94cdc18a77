package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One member of a {@link DiscoveredSet}: a unit's version as its Source recorded it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SetMember {
  @JsonPropertyDescription("The Source that found the version.")
  private String source;

  @JsonPropertyDescription("The fleet unit the version is for.")
  private String unit;

  @JsonPropertyDescription("The version.")
  private String version;

  @JsonPropertyDescription("Digest or revision the Source recorded for it.")
  private String digest;

  @JsonPropertyDescription("Where it was found, as the Source recorded it.")
  private String origin;

  public String getSource() {
    return source;
  }

  public void setSource(String source) {
    this.source = source;
  }

  public String getUnit() {
    return unit;
  }

  public void setUnit(String unit) {
    this.unit = unit;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public String getDigest() {
    return digest;
  }

  public void setDigest(String digest) {
    this.digest = digest;
  }

  public String getOrigin() {
    return origin;
  }

  public void setOrigin(String origin) {
    this.origin = origin;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SetMember that
        && Objects.equals(source, that.source)
        && Objects.equals(unit, that.unit)
        && Objects.equals(version, that.version)
        && Objects.equals(digest, that.digest)
        && Objects.equals(origin, that.origin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, unit, version, digest, origin);
  }

  @Override
  public String toString() {
    return "SetMember{source="
        + source
        + ", unit="
        + unit
        + ", version="
        + version
        + ", digest="
        + digest
        + ", origin="
        + origin
        + "}";
  }
}
