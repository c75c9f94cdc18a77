package io.kapro.api.crd;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.KaproApi;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Reads facts from the generated CRDs. */
final class LocalCrds {
  private LocalCrds() {}

  /** The generated CRDs in the order of {@link KaproApi#KINDS} (the documented order). */
  static List<CustomResourceDefinition> inApiOrder() {
    List<String> kinds = KaproApi.KINDS.stream().map(HasMetadata::getKind).toList();
    List<CustomResourceDefinition> crds = LocalKubeApi.kaproCrds();
    if (crds.size() != kinds.size()) {
      throw new IllegalStateException(crds.size() + " CRDs on the classpath for kinds " + kinds);
    }
    return crds.stream()
        .sorted(Comparator.comparingInt(c -> kinds.indexOf(c.getSpec().getNames().getKind())))
        .toList();
  }

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
