package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Objects;

/** Observed state of a {@link PromotionRun}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PromotionRunStatus {
  @JsonPropertyDescription("Run phase.")
  private RunPhase phase;

  @JsonPropertyDescription("Per-stage progress.")
  private List<StageStatus> stages;

  @JsonPropertyDescription("Target counts.")
  private RunSummary summary;

  @JsonPropertyDescription(
      "Latest observations of the object's state (Ready, Progressing, Stalled, Connected).")
  private List<Condition> conditions;

  @JsonPropertyDescription("Audit trail (last 50 entries).")
  @Size(max = 50)
  private List<AuditEntry> audit;

  @JsonPropertyDescription("When the run started (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When the run finished (RFC 3339).")
  private String finishedAt;

  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  private Long observedGeneration;

  public RunPhase getPhase() {
    return phase;
  }

  public void setPhase(RunPhase phase) {
    this.phase = phase;
  }

  public List<StageStatus> getStages() {
    return stages;
  }

  public void setStages(List<StageStatus> stages) {
    this.stages = stages;
  }

  public RunSummary getSummary() {
    return summary;
  }

  public void setSummary(RunSummary summary) {
    this.summary = summary;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public List<AuditEntry> getAudit() {
    return audit;
  }

  public void setAudit(List<AuditEntry> audit) {
    this.audit = audit;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getFinishedAt() {
    return finishedAt;
  }

  public void setFinishedAt(String finishedAt) {
    this.finishedAt = finishedAt;
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
    if (!(o instanceof PromotionRunStatus that)) {
      return false;
    }
    return Objects.equals(phase, that.phase)
        && Objects.equals(stages, that.stages)
        && Objects.equals(summary, that.summary)
        && Objects.equals(conditions, that.conditions)
        && Objects.equals(audit, that.audit)
        && Objects.equals(startedAt, that.startedAt)
        && Objects.equals(finishedAt, that.finishedAt)
        && Objects.equals(observedGeneration, that.observedGeneration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        phase, stages, summary, conditions, audit, startedAt, finishedAt, observedGeneration);
  }

  @Override
  public String toString() {
    return "PromotionRunStatus{phase="
        + phase
        + ", stages="
        + stages
        + ", summary="
        + summary
        + ", conditions="
        + conditions
        + ", audit="
        + audit
        + ", startedAt="
        + startedAt
        + ", finishedAt="
        + finishedAt
        + ", observedGeneration="
        + observedGeneration
        + "}";
  }
}
