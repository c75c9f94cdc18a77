package io.kapro.e2e.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hub chart renders the approval policy whose CEL {@code ApprovalPolicyTest} (api module)
 * evaluates: the spec is the file's, the binding enforces it, and the values switch and tune it.
 */
class ApprovalPolicyChartTest {
  @Test
  void theChartRendersThePolicyFileAndABindingThatDenies() throws Exception {
    Charts.Rendered r = Charts.template("hub", "", Map.of());
    JsonNode policy = r.one("ValidatingAdmissionPolicy");
    assertThat(policy.path("apiVersion").asText()).isEqualTo("admissionregistration.k8s.io/v1");
    String name = policy.path("metadata").path("name").asText();
    assertThat(name).endsWith("-approvals");
    JsonNode file =
        Charts.YAML.readTree(Charts.chart("hub").resolve("files/approval-policy.yaml").toFile());
    assertThat(policy.path("spec")).isEqualTo(file);
    assertThat(policy.path("spec").path("failurePolicy").asText()).isEqualTo("Fail");
    assertThat(policy.path("spec").path("validations").size()).isEqualTo(4);

    JsonNode binding = r.one("ValidatingAdmissionPolicyBinding");
    assertThat(binding.path("spec").path("policyName").asText()).isEqualTo(name);
    assertThat(binding.path("spec").path("validationActions").toString()).isEqualTo("[\"Deny\"]");
    assertThat(binding.path("spec").has("matchResources")).isFalse();
  }

  @Test
  void valuesTurnItOffOrToWarnForSomeNamespaces() {
    Charts.Rendered off =
        Charts.template("hub", "approvals:\n  policy:\n    enabled: false\n", Map.of());
    assertThat(off.all("ValidatingAdmissionPolicy")).isEmpty();
    assertThat(off.all("ValidatingAdmissionPolicyBinding")).isEmpty();

    Charts.Rendered warn =
        Charts.template(
            "hub",
            """
            approvals:
              policy:
                action: Warn
                namespaceSelector:
                  matchLabels:
                    kapro.io/tenant: "true"
            """,
            Map.of());
    JsonNode spec = warn.one("ValidatingAdmissionPolicyBinding").path("spec");
    assertThat(spec.path("validationActions").toString()).isEqualTo("[\"Warn\"]");
    assertThat(spec.path("matchResources").path("namespaceSelector").path("matchLabels").toString())
        .isEqualTo("{\"kapro.io/tenant\":\"true\"}");
    assertThat(Charts.templateError("hub", "approvals:\n  policy:\n    action: Allow\n", Map.of()))
        .contains("action");
  }
}
