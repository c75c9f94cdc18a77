package io.kapro.agent.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kapro.agent.apply.AppliedObject;
import io.kapro.agent.config.ManagedKind;
import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.FieldSet;
import io.kapro.oci.bundle.ObjectReference;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftGuardTest {
  static final YAMLMapper YAML = new YAMLMapper();
  static final ObjectReference REF =
      new ObjectReference("helm.toolkit.fluxcd.io/v2", "HelmRelease", "apps", "web");
  static final BundleUnit UNIT =
      new BundleUnit(
          "web",
          "Flux",
          REF,
          "1.4.0",
          "",
          List.of(new FieldSet("spec.chart.spec.version", "1.4.0")));
  static final AppliedObject APPLIED =
      new AppliedObject(REF, ManagedKind.HELM_RELEASE, List.of(UNIT), "", 1, Instant.EPOCH, false);
  static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");

  static Map<ObjectReference, ObjectNode> at(String version) throws Exception {
    return Map.of(
        REF,
        (ObjectNode)
            YAML.readTree(
                "{metadata: {name: web, namespace: apps}, spec: {chart: {spec: {version: '"
                    + version
                    + "'}}}}"));
  }

  @Test
  void heldFieldsAreNoDrift() throws Exception {
    DriftGuard g = new DriftGuard(BundlePayload.DRIFT_REAPPLY, DriftOptions.DEFAULTS);
    DriftGuard.Outcome o = g.observe(List.of(APPLIED), at("1.4.0"), T0);
    assertThat(o.units().get("web")).isEqualTo(UnitDrift.NONE);
    assertThat(o.reapply()).isEmpty();
  }

  @Test
  void reportNamesTheFieldAndNeverReapplies() throws Exception {
    DriftGuard g = new DriftGuard(BundlePayload.DRIFT_REPORT, DriftOptions.DEFAULTS);
    DriftGuard.Outcome o = g.observe(List.of(APPLIED), at("1.3.0"), T0);
    assertThat(o.units().get("web").fields())
        .containsExactly(new FieldDrift("spec.chart.spec.version", "1.4.0", "1.3.0"));
    assertThat(o.newlyDrifted()).isEqualTo(1);
    assertThat(o.reapply()).isEmpty();
    // the same drift seen again is not a new revert
    assertThat(g.observe(List.of(APPLIED), at("1.3.0"), T0.plusSeconds(1)).newlyDrifted()).isZero();
  }

  @Test
  void reapplyIsRateLimitedPerObject() throws Exception {
    DriftGuard g =
        new DriftGuard(
            BundlePayload.DRIFT_REAPPLY,
            new DriftOptions(Duration.ofSeconds(10), 5, Duration.ofMinutes(10)));
    assertThat(g.observe(List.of(APPLIED), at("1.3.0"), T0).reapply()).containsExactly(APPLIED);
    g.reapplied(APPLIED, T0);
    DriftGuard.Outcome soon = g.observe(List.of(APPLIED), at("1.3.0"), T0.plusSeconds(3));
    assertThat(soon.reapply()).isEmpty();
    assertThat(soon.retryAt()).contains(T0.plusSeconds(10));
    assertThat(g.observe(List.of(APPLIED), at("1.3.0"), T0.plusSeconds(10)).reapply())
        .containsExactly(APPLIED);
    assertThat(soon.units().get("web").reapplied()).isEqualTo(1);
  }

  @Test
  void revertsWithinTheWindowBecomeAnOwnerConflictAndStopReapplying() throws Exception {
    DriftGuard g =
        new DriftGuard(
            BundlePayload.DRIFT_REAPPLY,
            new DriftOptions(Duration.ZERO, 3, Duration.ofMinutes(10)));
    for (int i = 0; i < 2; i++) {
      assertThat(g.observe(List.of(APPLIED), at("1.3.0"), T0.plusSeconds(i)).reapply()).hasSize(1);
      g.reapplied(APPLIED, T0.plusSeconds(i));
    }
    DriftGuard.Outcome third = g.observe(List.of(APPLIED), at("1.3.0"), T0.plusSeconds(2));
    assertThat(third.newConflicts()).isEqualTo(1);
    assertThat(third.reapply()).isEmpty();
    assertThat(third.units().get("web").ownerConflict())
        .startsWith("spec.chart.spec.version of ")
        .contains("reverted 3 times within PT10M");
  }

  @Test
  void revertsOutsideTheWindowDoNotAddUp() throws Exception {
    DriftGuard g =
        new DriftGuard(
            BundlePayload.DRIFT_REAPPLY, new DriftOptions(Duration.ZERO, 2, Duration.ofMinutes(1)));
    g.observe(List.of(APPLIED), at("1.3.0"), T0);
    g.reapplied(APPLIED, T0);
    DriftGuard.Outcome later = g.observe(List.of(APPLIED), at("1.3.0"), T0.plusSeconds(120));
    assertThat(later.newConflicts()).isZero();
    assertThat(later.reapply()).hasSize(1);
  }
}
