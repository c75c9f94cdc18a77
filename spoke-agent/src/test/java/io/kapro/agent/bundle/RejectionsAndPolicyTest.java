package io.kapro.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.agent.config.AllowList;
import io.kapro.agent.v1.RejectionReason;
import io.kapro.oci.OciException;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.FieldSet;
import io.kapro.oci.bundle.ObjectReference;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RejectionsAndPolicyTest {
  @Test
  void everyVerifierRejectionHasItsOwnWireReason() {
    List<OciException.Reason> rejections =
        Arrays.stream(OciException.Reason.values())
            .filter(OciException.Reason::isRejection)
            .toList();
    assertThat(rejections).hasSizeGreaterThanOrEqualTo(14);
    for (OciException.Reason r : rejections) {
      assertThat(Rejections.reason(r).name()).isEqualTo("REJECTION_REASON_" + r.name());
    }
    assertThat(Rejections.reason(OciException.Reason.UNREACHABLE))
        .isEqualTo(RejectionReason.REJECTION_REASON_UNSPECIFIED);
  }

  @Test
  void rejectionMessagesAreBoundedAndCarryTheBundle() {
    var m =
        Rejections.message(
            4,
            "sha256:" + "c".repeat(64),
            RejectionReason.REJECTION_REASON_EXPIRED,
            "x".repeat(100_000),
            Instant.parse("2026-11-22T00:00:00Z"));
    assertThat(m.getRejection().getDetail().length()).isLessThanOrEqualTo(1100);
    assertThat(m.getRejection().getBundleSequence()).isEqualTo(4);
    assertThat(m.getRejection().getNumber()).isZero();
  }

  @Test
  void theAllowListPolicyRefusesUnknownObjectsFieldsAndBadPaths() {
    AllowListPolicy policy = new AllowListPolicy(PullFixture.ALLOW);
    BundleUnit hr = PullFixture.helmUnit("1.0.0");
    assertThat(policy.deny(hr, new FieldSet("spec.chart.spec.version", "1.0.0"))).isEmpty();
    assertThat(policy.deny(hr, new FieldSet("spec.chart.spec.chart", "evil")))
        .hasValueSatisfying(s -> assertThat(s).contains("spec.chart.spec.chart"));
    assertThat(policy.deny(hr, new FieldSet("spec..version", "1"))).isPresent();
    assertThat(policy.deny(hr, new FieldSet("metadata.finalizers[0]", "x"))).isPresent();
    BundleUnit other =
        new BundleUnit(
            "x",
            "Flux",
            new ObjectReference("helm.toolkit.fluxcd.io/v2", "HelmRelease", "kube-system", "x"),
            "1",
            "",
            List.of());
    assertThat(policy.deny(other, new FieldSet("spec.chart.spec.version", "1")))
        .hasValueSatisfying(s -> assertThat(s).contains("allow-list"));
    assertThat(new AllowListPolicy(new AllowList(List.of())).deny(hr, hr.set().getFirst()))
        .isPresent();
  }

  @Test
  void theBuiltInDenyListWinsOverAWideAllowList() {
    AllowListPolicy wide =
        new AllowListPolicy(
            new AllowList(
                List.of(
                    PullFixture.rule(
                        PullFixture.HR, "spec.chart.*", "spec.chart.spec.*", "spec.values.*"))));
    BundleUnit hr = PullFixture.helmUnit("1.0.0");
    assertThat(wide.deny(hr, new FieldSet("spec.chart.spec.version", "1.0.0"))).isEmpty();
    assertThat(wide.deny(hr, new FieldSet("spec.values.project", "x"))).isEmpty();
    assertThat(wide.deny(hr, new FieldSet("spec.chart.spec.sourceRef", "evil")))
        .hasValueSatisfying(s -> assertThat(s).contains("sourceRef").contains("no allow-list"));
  }
}
