package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** Observed state of a {@link SourceGroup}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SourceGroupStatus {
  @JsonPropertyDescription(
      "Ready: the members' versions form a set; False with the reason (a member without a version"
          + " yet, a member moved backwards, an invalid member) and what to fix.")
  private List<Condition> conditions;

  @JsonPropertyDescription("The newest set, as unit=version pairs.")
  private String latest;

  @JsonPropertyDescription("Sets found, newest first (bounded by historyLimit).")
  private List<DiscoveredSet> sets;

  @JsonPropertyDescription(
      "What the fleet proved per member unit (each member Source's status.proven), as unit=version"
          + " pairs.")
  private String proven;

  @JsonPropertyDescription(
      "Sets with a member newer than what the fleet proved and none older: available, not yet"
          + " promoted, newest first.")
  private List<String> available;

  @JsonPropertyDescription("Last set this group promoted automatically.")
  private String promoted;

  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  private Long observedGeneration;

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getLatest() {
    return latest;
  }

  public void setLatest(String latest) {
    this.latest = latest;
  }

  public List<DiscoveredSet> getSets() {
    return sets;
  }

  public void setSets(List<DiscoveredSet> sets) {
    this.sets = sets;
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
    return o instanceof SourceGroupStatus that
        && Objects.equals(conditions, that.conditions)
        && Objects.equals(latest, that.latest)
        && Objects.equals(sets, that.sets)
        && Objects.equals(proven, that.proven)
        && Objects.equals(available, that.available)
        && Objects.equals(promoted, that.promoted)
        && Objects.equals(observedGeneration, that.observedGeneration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(conditions, latest, sets, proven, available, promoted, observedGeneration);
  }

  @Override
  public String toString() {
    return "SourceGroupStatus{latest="
        + latest
        + ", sets="
        + sets
        + ", proven="
        + proven
        + ", available="
        + available
        + ", promoted="
        + promoted
        + ", conditions="
        + conditions
        + "}";
  }
}
