package io.kapro.api.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.kapro.api.testing.LocalKubeApi;
import java.util.ArrayList;
import java.util.List;

/** Reads facts from the generated CRDs. */
final class LocalCrds {
  private LocalCrds() {}

  /** Every CEL rule anywhere in the kind's schema. */
  static List<String> celRules(String kind) {
    JSONSchemaProps root =
        LocalKubeApi.kaproCrds().stream()
            .filter(c -> c.getSpec().getNames().getKind().equals(kind))
            .findFirst()
            .orElseThrow()
            .getSpec()
            .getVersions()
            .get(0)
            .getSchema()
            .getOpenAPIV3Schema();
    List<String> out = new ArrayList<>();
    collect(root, out);
    return out;
  }

  private static void collect(JSONSchemaProps s, List<String> out) {
    if (s == null) {
      return;
    }
    if (s.getXKubernetesValidations() != null) {
      s.getXKubernetesValidations().stream().map(ValidationRule::getRule).forEach(out::add);
    }
    if (s.getProperties() != null) {
      s.getProperties().values().forEach(p -> collect(p, out));
    }
    if (s.getItems() != null) {
      collect(s.getItems().getSchema(), out);
    }
  }
}
