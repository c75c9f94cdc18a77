package io.kapro.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.TargetStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetTableTest {
  @Test
  void aFailedTargetShowsTheReasonOfItsFalseConditionNotTheWholeMessage() {
    TargetStatus s = new TargetStatus();
    s.setPhase(TargetPhase.Failed);
    s.setMessage(
        "bundle seq-3 rejected by the agent (UNTRUSTED_KEY): no trusted key verifies the"
            + " signature of sha256:0123456789abcdef0123456789abcdef (key ids tried: a, b, c)");
    s.setConditions(
        List.of(
            Conditions.of(
                Kapro.ConditionTypes.READY,
                ConditionStatus.False,
                Kapro.Reasons.BUNDLE_REJECTED,
                s.getMessage(),
                1L)));
    assertThat(FleetTable.shortReason(s)).isEqualTo("BundleRejected");
  }

  @Test
  void withoutAConditionTheMessageIsCutToFit() {
    TargetStatus s = new TargetStatus();
    s.setPhase(TargetPhase.Waiting);
    s.setMessage("waiting for approval of stage prod by a release manager of the shop team");
    assertThat(FleetTable.shortReason(s))
        .hasSize(FleetTable.REASON_WIDTH)
        .startsWith("waiting for approval")
        .endsWith("…");
    s.setMessage(null);
    assertThat(FleetTable.shortReason(s)).isNull();
  }
}
