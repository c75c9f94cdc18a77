package io.kapro.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.agent.config.AllowList;
import io.kapro.agent.config.AllowRule;
import io.kapro.agent.config.FieldPath;
import io.kapro.agent.config.NamePattern;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.FieldSet;
import io.kapro.oci.bundle.ObjectReference;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hostile bundles are refused before the API server is asked anything (it is not even there). */
class BundleApplierValidationTest {
  static final ObjectReference HR =
      new ObjectReference("helm.toolkit.fluxcd.io/v2", "HelmRelease", "apps", "web");
  final io.kapro.agent.kube.KubeClient nowhere =
      new io.kapro.agent.kube.KubeClient(
          io.kapro.agent.kube.KubeConfig.of(java.net.URI.create("http://127.0.0.1:9")));
  final BundleApplier applier =
      new BundleApplier(
          nowhere,
          new AllowList(
              List.of(
                  new AllowRule(
                      HR.apiVersion(),
                      HR.kind(),
                      new NamePattern("apps"),
                      NamePattern.ANY,
                      List.of(FieldPath.parsePattern("spec.chart.spec.version"))))),
          Clock.systemUTC());

  @AfterEach
  void close() {
    nowhere.close();
  }

  static BundleUnit unit(ObjectReference ref, String backend, FieldSet... sets) {
    return new BundleUnit("u", backend, ref, "1.0.0", "", List.of(sets));
  }

  void refused(List<BundleUnit> units, ApplyException.Reason reason, String... fragments) {
    assertThatThrownBy(() -> applier.apply(units))
        .isInstanceOfSatisfying(
            ApplyException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.getMessage()).contains(fragments);
            });
  }

  @Test
  void hostileUnits() {
    FieldSet ok = new FieldSet("spec.chart.spec.version", "1.0.0");
    refused(
        List.of(unit(new ObjectReference("apps/v1", "Deployment", "apps", "web"), "Flux", ok)),
        ApplyException.Reason.NOT_ALLOWED,
        "apps/v1 Deployment is not a kind");
    refused(List.of(unit(HR, "Helm", ok)), ApplyException.Reason.NOT_ALLOWED, "backend 'Helm'");
    refused(
        List.of(
            unit(
                new ObjectReference("helm.toolkit.fluxcd.io/v2beta1", "HelmRelease", "apps", "web"),
                "Flux",
                ok)),
        ApplyException.Reason.NOT_ALLOWED,
        "allow-list");
    refused(
        List.of(unit(HR, "Flux", new FieldSet("spec.chart.spec.version[", "x"))),
        ApplyException.Reason.NOT_ALLOWED,
        "never closed");
    refused(
        List.of(unit(HR, "Flux", new FieldSet("metadata.labels.x", "x"))),
        ApplyException.Reason.NOT_ALLOWED,
        "metadata.labels.x",
        "HelmRelease/apps/web");
    refused(
        List.of(unit(HR, "Flux", new FieldSet("spec.chart.spec.version", "1.0\n0"))),
        ApplyException.Reason.INVALID_VALUE,
        "control characters");
    refused(
        List.of(unit(HR, "Flux", new FieldSet("spec.chart.spec.version", "9".repeat(2000)))),
        ApplyException.Reason.INVALID_VALUE,
        "1..1024");
    refused(
        List.of(unit(HR, "Flux", new FieldSet("spec.chart.spec.version", ""))),
        ApplyException.Reason.INVALID_VALUE,
        "spec.chart.spec.version");
    refused(List.of(unit(HR, "Flux")), ApplyException.Reason.INVALID_VALUE, "sets no fields");
    refused(
        List.of(
            unit(HR, "Flux", ok),
            unit(HR, "Flux", new FieldSet("spec.chart.spec.version", "2.0.0"))),
        ApplyException.Reason.INVALID_VALUE,
        "set twice");
  }

  @Test
  void reasonsMapToWireReasons() {
    assertThat(ApplyException.Reason.OBJECT_NOT_FOUND.rejectionReason().name())
        .isEqualTo("REJECTION_REASON_OBJECT_NOT_FOUND");
    assertThat(ApplyException.Reason.PATH_UNRESOLVABLE.rejectionReason().name())
        .isEqualTo("REJECTION_REASON_APPLY_FAILED");
    assertThat(ApplyException.Reason.INVALID_VALUE.rejectionReason().name())
        .isEqualTo("REJECTION_REASON_MALFORMED");
  }

  @Test
  void anUnreachableApiServerIsApplyFailed() {
    refused(
        List.of(unit(HR, "Flux", new FieldSet("spec.chart.spec.version", "1.0.0"))),
        ApplyException.Reason.APPLY_FAILED,
        "cannot read HelmRelease/apps/web");
  }
}
