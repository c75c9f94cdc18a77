package io.kapro.e2e.invariant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.e2e.invariant.History.Applied;
import io.kapro.e2e.invariant.History.Delivery;
import io.kapro.e2e.invariant.History.Expected;
import io.kapro.e2e.invariant.History.Signature;
import io.kapro.e2e.invariant.History.TargetRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Breaking one invariant on purpose fails the check, and the failure names the cluster and the
 * item. Each test starts from a history that holds and changes one thing.
 */
class InvariantCheckerTest {
  private static final String RUN = "shop-1-4-0-abc";
  private static final Instant T0 = Instant.parse("2026-11-22T03:00:00Z");

  private final List<TargetRecord> targets = new ArrayList<>();
  private final List<Expected> expected = new ArrayList<>();
  private final List<Applied> applies = new ArrayList<>();
  private final List<Delivery> deliveries = new ArrayList<>();

  InvariantCheckerTest() {
    for (String c : List.of("canary-eu-1", "prod-eu-1")) {
      String stage = c.startsWith("canary") ? "canary" : "prod";
      targets.add(
          new TargetRecord(RUN + "-" + stage + "-" + c, RUN, c, stage, TargetPhase.Converged, ""));
      expected.add(new Expected(RUN, c, stage, TargetPhase.Converged));
      applies.add(applied(c, 1, "sha256:aa" + c.length(), 0));
      applies.add(applied(c, 2, "sha256:bb" + c.length(), 10));
      // a re-publish of the same content with a higher sequence is allowed
      applies.add(applied(c, 3, "sha256:cc" + c.length(), 20));
      deliveries.add(new Delivery(c, 7, 0, 7));
    }
  }

  private static Applied applied(String cluster, long seq, String digest, int seconds) {
    return new Applied(cluster, seq, digest, T0.plusSeconds(seconds), Signature.valid("key-1"));
  }

  private InvariantChecker.Report check() {
    return InvariantChecker.check(new History(targets, expected, applies, deliveries));
  }

  @Test
  void aHistoryThatKeepsEveryInvariantPasses() {
    assertThat(check().held()).isTrue();
    assertThat(check().assertHeld().describe()).isEqualTo("all invariants held");
  }

  @Test
  void theSameBundleAppliedTwiceAfterACrashIsAllowed() {
    applies.add(applied("prod-eu-1", 3, "sha256:cc9", 30));
    assertThat(check().violations()).isEmpty();
  }

  @Test
  void aLowerSequenceAppliedFailsNamingTheClusterAndTheBundle() {
    applies.add(applied("prod-eu-1", 2, "sha256:bb9", 30));
    InvariantChecker.Report r = check();
    assertThat(r.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.invariant()).isEqualTo(Invariant.I2);
              assertThat(v.cluster()).isEqualTo("prod-eu-1");
              assertThat(v.item()).isEqualTo("bundle sequence 2 (sha256:bb9)");
              assertThat(v.detail()).contains("after sequence 3 (sha256:cc9)");
            });
    assertThatThrownBy(r::assertHeld)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("I2")
        .hasMessageContaining("cluster prod-eu-1")
        .hasMessageContaining("bundle sequence 2 (sha256:bb9)");
  }

  @Test
  void twoBundlesWithOneSequenceFail() {
    applies.add(applied("canary-eu-1", 3, "sha256:other", 30));
    assertThat(check().violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.invariant()).isEqualTo(Invariant.I2);
              assertThat(v.detail()).contains("same sequence");
            });
  }

  @Test
  void evidenceAckedWithoutItsNumberRecordedIsNotALoss() {
    // the hub acked #8..#9 as changing nothing visible, without writing their numbers
    deliveries.set(1, new Delivery("prod-eu-1", 9, 0, 7));
    assertThat(check().violations()).isEmpty();
  }

  @Test
  void aLostEvidenceItemFailsNamingTheClusterAndTheNumbers() {
    deliveries.set(1, new Delivery("prod-eu-1", 9, 2, 7));
    assertThatThrownBy(() -> check().assertHeld())
        .hasMessageContaining("I3")
        .hasMessageContaining("cluster prod-eu-1")
        .hasMessageContaining("evidence #8..#9")
        .hasMessageContaining("only up to #7");
  }

  @Test
  void unackedEvidenceAndAnOutboxTheAgentLostFail() {
    deliveries.set(0, new Delivery("canary-eu-1", 7, 2, 7));
    deliveries.set(1, new Delivery("prod-eu-1", 3, 0, 7));
    assertThat(check().violations())
        .extracting(Violation::invariant, Violation::cluster, Violation::item)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Invariant.I3, "canary-eu-1", "evidence up to #7"),
            org.assertj.core.groups.Tuple.tuple(Invariant.I3, "prod-eu-1", "evidence #4..#7"));
  }

  @Test
  void anUnsignedBundleAppliedFails() {
    applies.add(
        new Applied(
            "prod-eu-1", 4, "sha256:dd9", T0.plusSeconds(40), Signature.invalid("UNTRUSTED_KEY")));
    assertThatThrownBy(() -> check().assertHeld())
        .hasMessageContaining("I4")
        .hasMessageContaining("cluster prod-eu-1")
        .hasMessageContaining("bundle sequence 4 (sha256:dd9)")
        .hasMessageContaining("UNTRUSTED_KEY");
  }

  @Test
  void aTargetInTheWrongPhaseOrMissingFails() {
    targets.set(
        1,
        new TargetRecord(
            RUN + "-prod-prod-eu-1", RUN, "prod-eu-1", "prod", TargetPhase.Failed, "APPLY_FAILED"));
    expected.add(new Expected(RUN, "prod-us-1", "prod", TargetPhase.Converged));
    assertThat(check().violations())
        .extracting(Violation::invariant, Violation::cluster, Violation::item)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Invariant.I1, "prod-eu-1", "Target " + RUN + "-prod-prod-eu-1"),
            org.assertj.core.groups.Tuple.tuple(
                Invariant.I1, "prod-us-1", "stage prod of run " + RUN));
    assertThat(check().describe())
        .contains("ended Failed, expected Converged (message: APPLY_FAILED)");
  }

  @Test
  void aTargetTheScenarioDoesNotExpectFails() {
    targets.add(new TargetRecord("x", RUN, "prod-us-9", "prod", TargetPhase.Published, null));
    assertThat(check().violations())
        .singleElement()
        .satisfies(v -> assertThat(v.toString()).contains("I1", "prod-us-9", "Target x"));
  }

  @Test
  void twoTargetsForOneClusterAndStageFail() {
    targets.add(
        new TargetRecord(
            RUN + "-prod-prod-eu-1-b", RUN, "prod-eu-1", "prod", TargetPhase.Converged, ""));
    assertThat(check().violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.invariant()).isEqualTo(Invariant.I5);
              assertThat(v.cluster()).isEqualTo("prod-eu-1");
              assertThat(v.detail()).contains(RUN + "-prod-prod-eu-1", RUN + "-prod-prod-eu-1-b");
            });
  }
}
