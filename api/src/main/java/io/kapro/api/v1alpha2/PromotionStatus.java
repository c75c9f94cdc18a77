package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** Observed state of a {@link Promotion}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PromotionStatus {
  @JsonPropertyDescription("Pending, Running, Succeeded, Failed or Superseded.")
  private PromotionPhase phase;

  @JsonPropertyDescription("Name of the PromotionRun for the current spec.")
  private String currentRun;

  @JsonPropertyDescription("Hash of the spec the current run was stamped from.")
  private String specHash;

  @JsonPropertyDescription(
      "Latest observations of the object's state (Ready, Progressing, Stalled, Connected).")
  private List<Condition> conditions;

  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  private Long observedGeneration;

  public PromotionPhase getPhase() {
    return phase;
  }

  public void setPhase(PromotionPhase phase) {
    this.phase = phase;
  }

  public String getCurrentRun() {
    return currentRun;
  }

  public void setCurrentRun(String currentRun) {
    this.currentRun = currentRun;
  }

  public String getSpecHash() {
    return specHash;
  }

  public void setSpecHash(String specHash) {
    this.specHash = specHash;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
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
    if (!(o instanceof PromotionStatus that)) {
      return false;
    }
    return Objects.equals(phase, that.phase)
        && Objects.equals(currentRun, that.currentRun)
        && Objects.equals(specHash, that.specHash)
        && Objects.equals(conditions, that.conditions)
        && Objects.equals(observedGeneration, that.observedGeneration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, currentRun, specHash, conditions, observedGeneration);
  }

  @Override
  public String toString() {
    return "PromotionStatus{phase="
        + phase
        + ", currentRun="
        + currentRun
        + ", specHash="
        + specHash
        + ", conditions="
        + conditions
        + ", observedGeneration="
        + observedGeneration
        + "}";
  }
}
