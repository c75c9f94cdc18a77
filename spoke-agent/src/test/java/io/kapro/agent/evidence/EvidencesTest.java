package io.kapro.agent.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.agent.apply.ApplyException;
import io.kapro.agent.apply.ConvergencePhase;
import io.kapro.agent.apply.Judgement;
import io.kapro.agent.apply.ObservedCondition;
import io.kapro.agent.v1.RejectionReason;
import io.kapro.agent.v1.UnitPhase;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.FieldSet;
import io.kapro.oci.bundle.ObjectReference;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvidencesTest {
  static final ObjectReference OCI =
      new ObjectReference("source.toolkit.fluxcd.io/v1", "OCIRepository", "apps", "podinfo");
  static final BundleUnit UNIT =
      new BundleUnit(
          "podinfo", "Flux", OCI, "6.5.1", "", List.of(new FieldSet("spec.ref.tag", "6.5.1")));

  @Test
  void evidenceCarriesPhaseRevisionDigestAndConditions() {
    Judgement j =
        new Judgement(
            ConvergencePhase.CONVERGED,
            "6.5.1@sha256:4f0a",
            "stored artifact",
            List.of(
                new ObservedCondition(
                    "Ready", "True", "Succeeded", "stored artifact", "2026-11-21T10:00:00Z"),
                new ObservedCondition("X", "True", "", "", "yesterday")));
    Instant now = Instant.parse("2026-11-21T10:00:05.5Z");
    var m = Evidences.evidence(12, "sha256:abc", List.of(UNIT), Map.of("podinfo", j), true, now);
    var u = m.getEvidence().getUnits(0);
    assertThat(m.getEvidence().getBundleSequence()).isEqualTo(12);
    assertThat(m.getEvidence().getResync()).isTrue();
    assertThat(m.getEvidence().getNumber()).isZero();
    assertThat(u.getPhase()).isEqualTo(UnitPhase.UNIT_PHASE_CONVERGED);
    assertThat(u.getObservedDigest()).isEqualTo("sha256:4f0a");
    assertThat(u.getDesiredVersion()).isEqualTo("6.5.1");
    assertThat(u.getConditions(0).getLastTransitionTime().getSeconds())
        .isEqualTo(Instant.parse("2026-11-21T10:00:00Z").getEpochSecond());
    assertThat(u.getConditions(1).hasLastTransitionTime()).isFalse();
    assertThat(u.getObservedAt().getNanos()).isEqualTo(500_000_000);
  }

  @Test
  void rejectionCarriesTheApplierReason() {
    var e =
        new ApplyException(
            ApplyException.Reason.NOT_ALLOWED,
            OCI,
            "spec.url",
            "field spec.url of OCIRepository/apps/podinfo is not in the agent's allow-list");
    var m = Evidences.rejection(13, "sha256:def", e, Instant.EPOCH);
    assertThat(m.getRejection().getReason())
        .isEqualTo(RejectionReason.REJECTION_REASON_NOT_ALLOWED);
    assertThat(m.getRejection().getDetail()).contains("spec.url");
  }
}
