package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** Observed state of a {@link Fleet}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FleetStatus {
  @JsonPropertyDescription(
      "Latest observations of the object's state (Ready, Progressing, Stalled, Connected).")
  private List<Condition> conditions;

  @JsonPropertyDescription("Number of Cluster objects the fleet selects.")
  private Integer clusters;

  @JsonPropertyDescription(
      "CloudEvents given up on (after the retry limit or maximum age); see the EventsDelivered condition.")
  private Integer undeliveredEvents;

  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  private Long observedGeneration;

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Integer getClusters() {
    return clusters;
  }

  public void setClusters(Integer clusters) {
    this.clusters = clusters;
  }

  public Integer getUndeliveredEvents() {
    return undeliveredEvents;
  }

  public void setUndeliveredEvents(Integer undeliveredEvents) {
    this.undeliveredEvents = undeliveredEvents;
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
    if (!(o instanceof FleetStatus that)) {
      return false;
    }
    return Objects.equals(conditions, that.conditions)
        && Objects.equals(clusters, that.clusters)
        && Objects.equals(undeliveredEvents, that.undeliveredEvents)
        && Objects.equals(observedGeneration, that.observedGeneration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(conditions, clusters, undeliveredEvents, observedGeneration);
  }

  @Override
  public String toString() {
    return "FleetStatus{conditions="
        + conditions
        + ", clusters="
        + clusters
        + ", undeliveredEvents="
        + undeliveredEvents
        + ", observedGeneration="
        + observedGeneration
        + "}";
  }
}
