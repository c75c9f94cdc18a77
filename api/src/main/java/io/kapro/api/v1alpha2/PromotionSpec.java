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
        && Objects.equals(units, that.units);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fleet, plan, units);
  }

  @Override
  public String toString() {
    return "PromotionSpec{fleet=" + fleet + ", plan=" + plan + ", units=" + units + "}";
  }
}
