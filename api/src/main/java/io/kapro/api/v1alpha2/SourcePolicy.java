package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import java.util.Objects;

/** What a Fleet does with the versions its Sources discover. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@io.fabric8.generator.annotation.ValidationRule(
    value = "self.promotion != 'Auto' || has(self.plan)",
    message = "promotion Auto needs a plan")
public class SourcePolicy {
  @JsonPropertyDescription(
      "Manual (default): record discovered versions as available. Auto: a new version is promoted through plan into the first stage at once (Promotion <fleet>-<unit>); later stages still pass their gates.")
  @Default("Manual")
  private PromotionMode promotion = PromotionMode.Manual;

  @JsonPropertyDescription("Plan the automatic Promotions use; required with Auto.")
  @Pattern(Patterns.DNS_LABEL)
  private String plan;

  public PromotionMode getPromotion() {
    return promotion;
  }

  public void setPromotion(PromotionMode promotion) {
    this.promotion = promotion;
  }

  public String getPlan() {
    return plan;
  }

  public void setPlan(String plan) {
    this.plan = plan;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SourcePolicy that)) {
      return false;
    }
    return Objects.equals(promotion, that.promotion) && Objects.equals(plan, that.plan);
  }

  @Override
  public int hashCode() {
    return Objects.hash(promotion, plan);
  }

  @Override
  public String toString() {
    return "SourcePolicy{" + "promotion=" + promotion + ", " + "plan=" + plan + "}";
  }
}
