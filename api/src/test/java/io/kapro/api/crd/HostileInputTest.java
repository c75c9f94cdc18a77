package io.kapro.api.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kapro.api.Examples;
import io.kapro.api.Examples.Manifest;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.api.validation.SpecValidator;
import io.kapro.api.validation.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Copies of the quickstart example with one mistake each are rejected with a message naming the
 * field: by the generated CRD schema (unknown fields are errors, as with kubectl --validate=strict)
 * and by SpecValidator (what the hub uses to set InvalidSpec).
 */
class HostileInputTest {
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  @Test
  void everyExamplePassesSchemaAndSpecValidator() {
    List<Manifest> all = Examples.all();
    assertThat(all).extracting(Manifest::kind).contains("Fleet", "Cluster", "Plan", "Promotion");
    for (Manifest m : all) {
      assertThat(CrdSchema.of(m.kind()).validate(m.object())).as(m.toString()).isEmpty();
      var typed = Examples.typed(m.object());
      assertThat(typed.getClass().getSimpleName()).as(m.toString()).isEqualTo(m.kind());
      assertThat(SpecValidator.validate(typed)).as(m.toString()).isEmpty();
    }
  }

  @Test
  void misspeltFieldIsRejected() {
    ObjectNode plan = Examples.first("Plan");
    ObjectNode prod = (ObjectNode) plan.at("/spec/stages/1");
    prod.set("selecter", prod.remove("selector"));

    assertThat(CrdSchema.of("Plan").validate(plan))
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("$.spec.stages[1]")
                    .contains("selecter")
                    .contains("not defined"))
        .anySatisfy(m -> assertThat(m).contains("$.spec.stages[1]").contains("selector"));
    // Reading it into the Java classes fails on the unknown field too ...
    assertThatThrownBy(() -> serialization.convertValue(plan, Plan.class))
        .hasMessageContaining("\"selecter\"");
    // ... and once an API server has pruned it, SpecValidator names what is missing.
    prod.remove("selecter");
    assertThat(SpecValidator.validate(serialization.convertValue(plan, Plan.class)))
        .containsExactly(
            new Violation(
                "spec.stages[1].selector",
                "is required: set a label selector, e.g. matchLabels: {kapro.io/stage: prod}"));
  }

  @Test
  void wrongEnumValueIsRejected() {
    ObjectNode fleet = Examples.first("Fleet");
    ((ObjectNode) fleet.at("/spec/units/0")).put("backend", "Fluxcd");

    assertThat(CrdSchema.of("Fleet").validate(fleet))
        .singleElement()
        .satisfies(m -> assertThat(m).contains("$.spec.units[0].backend").contains("enumeration"));
    assertThatThrownBy(() -> serialization.convertValue(fleet, Fleet.class))
        .hasMessageContaining("Fluxcd")
        .hasMessageContaining("backend");
  }

  @Test
  void enumValueThatDoesNotSuitTheKindIsRejectedBySpecValidator() {
    ObjectNode fleet = Examples.first("Fleet");
    ((ObjectNode) fleet.at("/spec/units/1")).put("field", "chartVersion");

    assertThat(CrdSchema.of("Fleet").validate(fleet)).isEmpty();
    assertThat(SpecValidator.validate(serialization.convertValue(fleet, Fleet.class)))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.path()).isEqualTo("spec.units[1].field");
              assertThat(v.message()).contains("targetRevision");
            });
  }

  @Test
  void missingRequiredFieldIsRejected() {
    ObjectNode fleet = Examples.first("Fleet");
    ((ObjectNode) fleet.get("spec")).remove("signing");

    assertThat(CrdSchema.of("Fleet").validate(fleet))
        .singleElement()
        .satisfies(m -> assertThat(m).contains("$.spec").contains("signing"));
    assertThat(SpecValidator.validate(serialization.convertValue(fleet, Fleet.class)))
        .extracting(Violation::path)
        .containsExactly("spec.signing");
  }

  @Test
  void stageThatDependsOnItselfIsRejected() {
    ObjectNode plan = Examples.first("Plan");
    ((ArrayNode) plan.at("/spec/stages/1/dependsOn")).add("prod");

    // A JSON schema cannot say this; the CRD carries it as a CEL rule for the API server ...
    assertThat(CrdSchema.of("Plan").validate(plan)).isEmpty();
    assertThat(LocalCrds.celRules("Plan"))
        .contains("!has(self.dependsOn) || !(self.name in self.dependsOn)");
    // ... and SpecValidator checks it for the hub.
    assertThat(SpecValidator.validate(serialization.convertValue(plan, Plan.class)))
        .containsExactly(
            new Violation(
                "spec.stages[1].dependsOn[1]",
                "stage \"prod\" depends on itself; remove it from dependsOn"));
  }

  @Test
  void wrongTypeAndPatternAreRejectedBySchema() {
    ObjectNode plan = Examples.first("Plan");
    ((ObjectNode) plan.at("/spec/stages/0")).put("requiredSoakTime", "ten minutes");
    ((ObjectNode) plan.at("/spec/stages/1")).put("maxParallel", 0);

    assertThat(CrdSchema.of("Plan").validate(plan))
        .anySatisfy(m -> assertThat(m).contains("$.spec.stages[0].requiredSoakTime"))
        .anySatisfy(m -> assertThat(m).contains("$.spec.stages[1].maxParallel"));
  }

  @Test
  void approvalWithAnUnknownDecisionIsRejected() throws Exception {
    ObjectNode approval =
        (ObjectNode)
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(
                    """
                    {"apiVersion": "kapro.io/v1alpha2", "kind": "Approval",
                     "metadata": {"name": "a"},
                     "spec": {"run": "shop-1-4-0-abc", "stage": "prod", "decision": "Approved",
                              "approver": "alice"}}
                    """);
    assertThat(CrdSchema.of("Approval").validate(approval))
        .singleElement()
        .satisfies(m -> assertThat(m).contains("$.spec.decision").contains("enumeration"));
    ((ObjectNode) approval.get("spec")).put("decision", "Approve");
    ((ObjectNode) approval.get("spec")).remove("approver");
    assertThat(CrdSchema.of("Approval").validate(approval))
        .singleElement()
        .satisfies(m -> assertThat(m).contains("approver"));
    assertThat(SpecValidator.validate(Examples.typed(approval)))
        .extracting(Violation::path)
        .containsExactly("spec.approver");
  }
}
