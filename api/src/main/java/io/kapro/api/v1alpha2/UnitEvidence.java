package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** The agent's evidence for one unit. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UnitEvidence {
  @JsonPropertyDescription("Unit name.")
  private String unit;

  @JsonPropertyDescription("Phase of the unit.")
  private UnitPhase phase;

  @JsonPropertyDescription("Revision or digest the local controller reports.")
  private String observedRevision;

  @JsonPropertyDescription("Detail.")
  private String message;

  @JsonPropertyDescription("When the agent observed it (RFC 3339).")
  private String observedAt;

  @JsonPropertyDescription(
      "The local controller's reason when the unit is Degraded or Failed (e.g. UpgradeFailed).")
  private String reason;

  @JsonPropertyDescription("Managed fields that no longer hold the bundle's value.")
  private List<DriftedField> drift;

  @JsonPropertyDescription("How often the agent put the unit's fields back (drift policy reapply).")
  private Integer reapplied;

  @JsonPropertyDescription(
      "The owner that keeps reverting a managed field, as the object names it (OwnerConflict).")
  private String ownerConflict;

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public List<DriftedField> getDrift() {
    return drift;
  }

  public void setDrift(List<DriftedField> drift) {
    this.drift = drift;
  }

  public Integer getReapplied() {
    return reapplied;
  }

  public void setReapplied(Integer reapplied) {
    this.reapplied = reapplied;
  }

  public String getOwnerConflict() {
    return ownerConflict;
  }

  public void setOwnerConflict(String ownerConflict) {
    this.ownerConflict = ownerConflict;
  }

  public String getUnit() {
    return unit;
  }

  public void setUnit(String unit) {
    this.unit = unit;
  }

  public UnitPhase getPhase() {
    return phase;
  }

  public void setPhase(UnitPhase phase) {
    this.phase = phase;
  }

  public String getObservedRevision() {
    return observedRevision;
  }

  public void setObservedRevision(String observedRevision) {
    this.observedRevision = observedRevision;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getObservedAt() {
    return observedAt;
  }

  public void setObservedAt(String observedAt) {
    this.observedAt = observedAt;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof UnitEvidence that)) {
      return false;
    }
    return Objects.equals(unit, that.unit)
        && Objects.equals(phase, that.phase)
        && Objects.equals(observedRevision, that.observedRevision)
        && Objects.equals(message, that.message)
        && Objects.equals(observedAt, that.observedAt)
        && Objects.equals(reason, that.reason)
        && Objects.equals(drift, that.drift)
        && Objects.equals(reapplied, that.reapplied)
        && Objects.equals(ownerConflict, that.ownerConflict);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        unit,
        phase,
        observedRevision,
        message,
        observedAt,
        reason,
        drift,
        reapplied,
        ownerConflict);
  }

  @Override
  public String toString() {
    return "UnitEvidence{unit="
        + unit
        + ", phase="
        + phase
        + ", observedRevision="
        + observedRevision
        + ", message="
        + message
        + ", observedAt="
        + observedAt
        + ", reason="
        + reason
        + ", drift="
        + drift
        + ", reapplied="
        + reapplied
        + ", ownerConflict="
        + ownerConflict
        + "}";
  }
}
