package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/** Spec of a {@link PromotionRun}: stamped by the controller, immutable. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self == oldSelf",
    message = "a PromotionRun spec is immutable; change the Promotion instead")
public class PromotionRunSpec {
  @JsonPropertyDescription("The Promotion this run executes.")
  @Required
  private String promotion;

  @JsonPropertyDescription("Fleet name.")
  @Required
  private String fleet;

  @JsonPropertyDescription("Plan name.")
  @Required
  private String plan;

  @JsonPropertyDescription("Hash of the Promotion spec this run was stamped from.")
  @Required
  private String specHash;

  @JsonPropertyDescription("Unit versions being promoted.")
  @Required
  private List<UnitVersion> units;

  @JsonPropertyDescription("The Plan spec as it was when the run started.")
  @Required
  private PlanSpec planSnapshot;

  @JsonPropertyDescription("Name of the run this one supersedes.")
  private String supersedes;

  @JsonPropertyDescription("The run rolls the fleet back; its bundles are marked as rollbacks.")
  private Boolean rollback;

  @JsonPropertyDescription("The run ignores the Plan's gates.")
  private Boolean skipGates;

  public String getPromotion() {
    return promotion;
  }

  public void setPromotion(String promotion) {
    this.promotion = promotion;
  }

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

  public String getSpecHash() {
    return specHash;
  }

  public void setSpecHash(String specHash) {
    this.specHash = specHash;
  }

  public List<UnitVersion> getUnits() {
    return units;
  }

  public void setUnits(List<UnitVersion> units) {
    this.units = units;
  }

  public PlanSpec getPlanSnapshot() {
    return planSnapshot;
  }

  public void setPlanSnapshot(PlanSpec planSnapshot) {
    this.planSnapshot = planSnapshot;
  }

  public String getSupersedes() {
    return supersedes;
  }

  public void setSupersedes(String supersedes) {
    this.supersedes = supersedes;
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
    if (!(o instanceof PromotionRunSpec that)) {
      return false;
    }
    return Objects.equals(promotion, that.promotion)
        && Objects.equals(fleet, that.fleet)
        && Objects.equals(plan, that.plan)
        && Objects.equals(specHash, that.specHash)
        && Objects.equals(units, that.units)
        && Objects.equals(planSnapshot, that.planSnapshot)
        && Objects.equals(supersedes, that.supersedes)
        && Objects.equals(rollback, that.rollback)
        && Objects.equals(skipGates, that.skipGates);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        promotion, fleet, plan, specHash, units, planSnapshot, supersedes, rollback, skipGates);
  }

  @Override
  public String toString() {
    return "PromotionRunSpec{promotion="
        + promotion
        + ", fleet="
        + fleet
        + ", plan="
        + plan
        + ", specHash="
        + specHash
        + ", units="
        + units
        + ", planSnapshot="
        + planSnapshot
        + ", supersedes="
        + supersedes
        + "}";
  }
}
