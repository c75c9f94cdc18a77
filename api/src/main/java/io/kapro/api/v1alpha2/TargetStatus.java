package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** Observed state of a {@link Target}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetStatus {
  @JsonPropertyDescription("Target phase.")
  private TargetPhase phase;

  @JsonPropertyDescription("What is happening or went wrong, for an operator.")
  private String message;

  @JsonPropertyDescription("Gate results.")
  private List<GateStatus> gates;

  @JsonPropertyDescription("The bundle issued.")
  private BundleRef bundle;

  @JsonPropertyDescription("Latest evidence.")
  private Evidence evidence;

  @JsonPropertyDescription("Last phase change (RFC 3339).")
  private String since;

  @JsonPropertyDescription(
      "Latest observations of the object's state (Ready, Progressing, Stalled, Connected).")
  private List<Condition> conditions;

  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  private Long observedGeneration;

  public TargetPhase getPhase() {
    return phase;
  }

  public void setPhase(TargetPhase phase) {
    this.phase = phase;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public List<GateStatus> getGates() {
    return gates;
  }

  public void setGates(List<GateStatus> gates) {
    this.gates = gates;
  }

  public BundleRef getBundle() {
    return bundle;
  }

  public void setBundle(BundleRef bundle) {
    this.bundle = bundle;
  }

  public Evidence getEvidence() {
    return evidence;
  }

  public void setEvidence(Evidence evidence) {
    this.evidence = evidence;
  }

  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
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
    if (!(o instanceof TargetStatus that)) {
      return false;
    }
    return Objects.equals(phase, that.phase)
        && Objects.equals(message, that.message)
        && Objects.equals(gates, that.gates)
        && Objects.equals(bundle, that.bundle)
        && Objects.equals(evidence, that.evidence)
        && Objects.equals(since, that.since)
        && Objects.equals(conditions, that.conditions)
        && Objects.equals(observedGeneration, that.observedGeneration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        phase, message, gates, bundle, evidence, since, conditions, observedGeneration);
  }

  @Override
  public String toString() {
    return "TargetStatus{phase="
        + phase
        + ", message="
        + message
        + ", gates="
        + gates
        + ", bundle="
        + bundle
        + ", evidence="
        + evidence
        + ", since="
        + since
        + ", conditions="
        + conditions
        + ", observedGeneration="
        + observedGeneration
        + "}";
  }
}
