package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A unit version as proven by the agent's evidence. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProvenVersion {
  @JsonPropertyDescription("Version the unit runs.")
  private String version;

  @JsonPropertyDescription("Revision or digest the controller reports.")
  private String revision;

  @JsonPropertyDescription("Since when (RFC 3339).")
  private String since;

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ProvenVersion that)) {
      return false;
    }
    return Objects.equals(version, that.version)
        && Objects.equals(revision, that.revision)
        && Objects.equals(since, that.since);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, revision, since);
  }

  @Override
  public String toString() {
    return "ProvenVersion{version=" + version + ", revision=" + revision + ", since=" + since + "}";
  }
}
