package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** Observed state of a {@link Source}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SourceStatus {
  @JsonPropertyDescription(
      "Ready: the last check succeeded; False with the reason and what to fix.")
  private List<Condition> conditions;

  @JsonPropertyDescription("When the hub last checked the source (RFC 3339).")
  private String lastCheckedAt;

  @JsonPropertyDescription(
      "The value of annotation kapro.io/check-requested-at the last check handled.")
  private String lastHandledCheckAt;

  @JsonPropertyDescription(
      "How many tags, chart versions (Helm) or refs (Git) the source listed at the last check.")
  private Integer tagsListed;

  @JsonPropertyDescription("Newest version that passes the filter and constraint.")
  private String latest;

  @JsonPropertyDescription("Versions found, newest first (bounded by historyLimit).")
  private List<DiscoveredVersion> versions;

  @JsonPropertyDescription(
      "Newest version the fleet's clusters proven by evidence (with promotion Auto: the first stage's clusters).")
  private String proven;

  @JsonPropertyDescription(
      "Discovered versions newer than proven: available, not yet promoted, newest first.")
  private List<String> available;

  @JsonPropertyDescription("Last version this Source promoted automatically.")
  private String promoted;

  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  private Long observedGeneration;

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getLastCheckedAt() {
    return lastCheckedAt;
  }

  public void setLastCheckedAt(String lastCheckedAt) {
    this.lastCheckedAt = lastCheckedAt;
  }

  public String getLastHandledCheckAt() {
    return lastHandledCheckAt;
  }

  public void setLastHandledCheckAt(String lastHandledCheckAt) {
    this.lastHandledCheckAt = lastHandledCheckAt;
  }

  public Integer getTagsListed() {
    return tagsListed;
  }

  public void setTagsListed(Integer tagsListed) {
    this.tagsListed = tagsListed;
  }

  public String getLatest() {
    return latest;
  }

  public void setLatest(String latest) {
    this.latest = latest;
  }

  public List<DiscoveredVersion> getVersions() {
    return versions;
  }

  public void setVersions(List<DiscoveredVersion> versions) {
    this.versions = versions;
  }

  public String getProven() {
    return proven;
  }

  public void setProven(String proven) {
    this.proven = proven;
  }

  public List<String> getAvailable() {
    return available;
  }

  public void setAvailable(List<String> available) {
    this.available = available;
  }

  public String getPromoted() {
    return promoted;
  }

  public void setPromoted(String promoted) {
    this.promoted = promoted;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SourceStatus that)) {
      return false;
    }
    return Objects.equals(conditions, that.conditions)
        && Objects.equals(lastCheckedAt, that.lastCheckedAt)
        && Objects.equals(lastHandledCheckAt, that.lastHandledCheckAt)
        && Objects.equals(tagsListed, that.tagsListed)
        && Objects.equals(latest, that.latest)
        && Objects.equals(versions, that.versions)
        && Objects.equals(proven, that.proven)
        && Objects.equals(available, that.available)
        && Objects.equals(promoted, that.promoted)
        && Objects.equals(observedGeneration, that.observedGeneration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        conditions,
        lastCheckedAt,
        lastHandledCheckAt,
        tagsListed,
        latest,
        versions,
        proven,
        available,
        promoted,
        observedGeneration);
  }

  @Override
  public String toString() {
    return "SourceStatus{"
        + "conditions="
        + conditions
        + ", "
        + "lastCheckedAt="
        + lastCheckedAt
        + ", "
        + "lastHandledCheckAt="
        + lastHandledCheckAt
        + ", "
        + "tagsListed="
        + tagsListed
        + ", "
        + "latest="
        + latest
        + ", "
        + "versions="
        + versions
        + ", "
        + "proven="
        + proven
        + ", "
        + "available="
        + available
        + ", "
        + "promoted="
        + promoted
        + ", "
        + "observedGeneration="
        + observedGeneration
        + "}";
  }
}
