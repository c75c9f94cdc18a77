package io.kapro.api.v1alpha2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {
  static LabelSelectorRequirement req(String key, SelectorOperator op, String... values) {
    LabelSelectorRequirement r = new LabelSelectorRequirement();
    r.setKey(key);
    r.setOperator(op);
    r.setValues(List.of(values));
    return r;
  }

  @Test
  void matchLabelsAndExpressionsMustAllHold() {
    LabelSelector s = new LabelSelector();
    s.setMatchLabels(Map.of("fleet", "shop"));
    s.setMatchExpressions(
        List.of(
            req("stage", SelectorOperator.In, "prod", "canary"),
            req("paused", SelectorOperator.DoesNotExist)));
    assertThat(s.matches(Map.of("fleet", "shop", "stage", "prod"))).isTrue();
    assertThat(s.matches(Map.of("fleet", "shop", "stage", "dev"))).isFalse();
    assertThat(s.matches(Map.of("fleet", "shop", "stage", "prod", "paused", "yes"))).isFalse();
    assertThat(s.matches(Map.of("stage", "prod"))).isFalse();
    assertThat(s.matches(null)).isFalse();
  }

  @Test
  void emptySelectorMatchesEverythingAndNotInAcceptsMissingKeys() {
    assertThat(new LabelSelector().matches(Map.of())).isTrue();
    LabelSelector s = new LabelSelector();
    s.setMatchExpressions(
        List.of(
            req("stage", SelectorOperator.NotIn, "prod"), req("fleet", SelectorOperator.Exists)));
    assertThat(s.matches(Map.of("fleet", "x"))).isTrue();
    assertThat(s.matches(Map.of("fleet", "x", "stage", "prod"))).isFalse();
  }

  @Test
  void unitKindsAndFieldsAgree() {
    for (VersionField f : VersionField.values()) {
      assertThat(f.kind().backend()).isNotNull();
    }
    assertThat(UnitKind.HelmRelease.apiVersion()).isEqualTo("helm.toolkit.fluxcd.io/v2");
    assertThat(UnitKind.Application.backend()).isEqualTo(Backend.ArgoCD);
    assertThat(VersionField.helmParameter.requires()).isEqualTo("parameter");
  }
}
