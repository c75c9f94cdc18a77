package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Objects;

/**
 * Desired state of a {@link Promotion}: promote these unit versions through a fleet using a plan.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PromotionSpec {
  @JsonPropertyDescription("Name of the Fleet in this namespace.")
  @Required
  @Size(min = 1, max = 253)
  private String fleet;

  @JsonPropertyDescription("Name of the Plan in this namespace.")
  @Required
  @Size(min = 1, max = 253)
  private String plan;

  @JsonPropertyDescription("Unit versions to promote.")
  @Required
  @Size(min = 1, max = 64)
  private List<UnitVersion> units;

  @JsonPropertyDescription(
      "Pause the current run: no new Target is published while true; Targets in flight finish.")
  private Boolean paused;

  @JsonPropertyDescription(
      "Abort the current run: Targets not yet publishing are Cancelled and the run ends Aborted.")
  private Boolean abort;

  @JsonPropertyDescription(
      "This promotion rolls the fleet back (set by kapro rollback): its bundles are marked as rollbacks.")
  private Boolean rollback;

  @JsonPropertyDescription(
      "Run without the Plan's gates (kapro rollback --skip-gates); default false.")
  private Boolean skipGates;

  public String getFleet() {
    return fleet;
  }

  public void setFleet(String fleet) {
    this.fleet = fleet;
  }

  public String getPlan() {
    return plan;
  }

  public void setPlan(String plan) {
    this.plan = plan;
  }

  public List<UnitVersion> getUnits() {
    return units;
  }

  public void setUnits(List<UnitVersion> units) {
    this.units = units;
  }

  public Boolean getPaused() {
    return paused;
  }

  public void setPaused(Boolean paused) {
    this.paused = paused;
  }

  public Boolean getAbort() {
    return abort;
  }

  public void setAbort(Boolean abort) {
    this.abort = abort;
  }

  public Boolean getRollback() {
    return rollback;
  }

  public void setRollback(Boolean rollback) {
    this.rollback = rollback;
  }

  public Boolean getSkipGates() {
    return skipGates;
  }

  public void setSkipGates(Boolean skipGates) {
    this.skipGates = skipGates;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof PromotionSpec that)) {
      return false;
    }
    return Objects.equals(fleet, that.fleet)
        && Objects.equals(plan, that.plan)
        && Objects.equals(units, that.units)
        && Objects.equals(paused, that.paused)
        && Objects.equals(abort, that.abort)
        && Objects.equals(rollback, that.rollback)
        && Objects.equals(skipGates, that.skipGates);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fleet, plan, units, paused, abort, rollback, skipGates);
  }

  @Override
  public String toString() {
    return "PromotionSpec{fleet=" + fleet + ", plan=" + plan + ", units=" + units + "}";
  }
}
