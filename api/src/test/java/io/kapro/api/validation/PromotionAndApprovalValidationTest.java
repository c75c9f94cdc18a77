package io.kapro.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.ApprovalSpec;
import io.kapro.api.v1alpha2.Decision;
import io.kapro.api.v1alpha2.PromotionSpec;
import io.kapro.api.v1alpha2.UnitVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromotionAndApprovalValidationTest {
  static UnitVersion uv(String name, String version) {
    UnitVersion u = new UnitVersion();
    u.setName(name);
    u.setVersion(version);
    return u;
  }

  @Test
  void promotionNeedsFleetPlanAndDistinctUnits() {
    PromotionSpec p = new PromotionSpec();
    p.setFleet("shop");
    p.setUnits(List.of(uv("web", "1.0.0"), uv("web", "1.0.1"), uv("api", "1 0")));
    assertThat(SpecValidator.validatePromotion(p))
        .extracting(Violation::path)
        .containsExactly("spec.plan", "spec.units[1].name", "spec.units[2].version");
  }

  @Test
  void promotionUnitsMustExistInTheFleet() {
    PromotionSpec p = new PromotionSpec();
    p.setFleet("shop");
    p.setPlan("p");
    p.setUnits(List.of(uv("web", "1.0.0"), uv("wbe", "1.0.0")));
    assertThat(SpecValidator.validatePromotion(p, SpecValidatorTest.fleet()))
        .containsExactly(
            new Violation(
                "spec.units[1].name", "fleet shop has no unit \"wbe\"; name one of [web]"));
  }

  @Test
  void approvalNeedsRunDecisionApprover() {
    ApprovalSpec a = new ApprovalSpec();
    a.setStage("Prod");
    assertThat(SpecValidator.validateApproval(a))
        .extracting(Violation::path)
        .containsExactly("spec.run", "spec.stage", "spec.decision", "spec.approver");
    a.setRun("shop-1-4-0-abc12");
    a.setStage("prod");
    a.setDecision(Decision.Approve);
    a.setApprover("alice@example.com");
    assertThat(SpecValidator.validateApproval(a)).isEmpty();
  }

  @Test
  void describeJoinsViolations() {
    assertThat(
            SpecValidator.describe(
                List.of(new Violation("spec.a", "x"), new Violation("spec.b", "y"))))
        .isEqualTo("spec.a: x; spec.b: y");
  }
}
