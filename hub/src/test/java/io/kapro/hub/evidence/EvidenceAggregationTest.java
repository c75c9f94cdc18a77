package io.kapro.hub.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.RejectionReason;
import io.kapro.api.v1alpha2.BundleRef;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.TargetSpec;
import io.kapro.api.v1alpha2.TargetStatus;
import io.kapro.api.v1alpha2.UnitEvidence;
import io.kapro.api.v1alpha2.UnitPhase;
import io.kapro.api.v1alpha2.UnitVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How evidence from an agent is folded into Target status, as tables: which Targets an item is
 * about ({@link EvidenceRules}), the Target phase the units' phases give ({@link TargetEvidence}),
 * and what a rejection or a repeated item does. The ITs (KubeEvidenceSinkIT, GatewayLinkIT) show
 * the same through a real API server and a real stream.
 */
class EvidenceAggregationTest {
  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  static final String DIGEST = "sha256:" + "a".repeat(64);

  /** Unit phases (comma-separated, "-" for none) → the Target phase. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "-, Applied",
    "Applied, Applied",
    "Applied;Progressing, Progressing",
    "Converged;Progressing, Progressing",
    "Converged, Converged",
    "Converged;Converged, Converged",
    "Converged;Applied, Applied",
    "Converged;Degraded, Degraded",
    "Progressing;Degraded, Degraded",
    "Degraded;Failed, Failed",
    "Converged;Failed, Failed",
    "Pending, Applied",
  })
  void theUnitsPhasesGiveTheTargetPhase(String units, TargetPhase expected) {
    List<UnitEvidence> list = new ArrayList<>();
    if (!units.equals("-")) {
      for (String p : units.split(";")) {
        UnitEvidence u = new UnitEvidence();
        u.setUnit("u" + list.size());
        u.setPhase(UnitPhase.valueOf(p));
        list.add(u);
      }
    }
    assertThat(TargetEvidence.targetPhase(list)).isEqualTo(expected);
  }

  static Stream<Arguments> concerned() {
    return Stream.of(
        Arguments.of(
            "the Target whose bundle the evidence reports",
            List.of(target("t1", TargetPhase.Published, 3, "web=1.0")),
            Evidence.of(1, 3, DIGEST, conv(), Map.of("web", "1.0")),
            List.of("t1")),
        Arguments.of(
            "a re-issued bundle (higher sequence, same versions) still counts",
            List.of(target("t1", TargetPhase.Progressing, 3, "web=1.0")),
            Evidence.of(1, 5, DIGEST, conv(), Map.of("web", "1.0")),
            List.of("t1")),
        Arguments.of(
            "evidence for an older bundle than the Target's is not about it",
            List.of(target("t1", TargetPhase.Published, 4, "web=1.0")),
            Evidence.of(1, 3, DIGEST, conv(), Map.of("web", "1.0")),
            List.of()),
        Arguments.of(
            "another desired version is not about it",
            List.of(target("t1", TargetPhase.Published, 3, "web=1.0")),
            Evidence.of(1, 3, DIGEST, conv(), Map.of("web", "0.9")),
            List.of()),
        Arguments.of(
            "a unit of the Target missing from the evidence",
            List.of(target("t1", TargetPhase.Published, 3, "web=1.0", "api=2.0")),
            Evidence.of(1, 3, DIGEST, conv(), Map.of("web", "1.0")),
            List.of()),
        Arguments.of(
            "a later publish of the same unit replaced the older Target",
            List.of(
                target("old", TargetPhase.Converged, 3, "web=1.0"),
                target("new", TargetPhase.Published, 4, "web=1.0")),
            Evidence.of(1, 4, DIGEST, conv(), Map.of("web", "1.0")),
            List.of("new")),
        Arguments.of(
            "Targets of other units are independent",
            List.of(
                target("web", TargetPhase.Published, 3, "web=1.0"),
                target("api", TargetPhase.Published, 4, "api=2.0")),
            Evidence.of(1, 4, DIGEST, conv(), Map.of("web", "1.0", "api", "2.0")),
            List.of("web", "api")),
        Arguments.of(
            "a Target not yet published or already finished elsewhere is left alone",
            List.of(
                target("waiting", TargetPhase.Waiting, 0, "web=1.0"),
                target("failed", TargetPhase.Failed, 3, "web=1.0"),
                target("superseded", TargetPhase.Superseded, 3, "web=1.0")),
            Evidence.of(1, 3, DIGEST, conv(), Map.of("web", "1.0")),
            List.of()),
        Arguments.of(
            "a rejection names its bundle by sequence",
            List.of(
                target("t3", TargetPhase.Published, 3, "web=1.0"),
                target("t2", TargetPhase.Published, 2, "api=1.0")),
            Evidence.rejection(1, 3, "", RejectionReason.REJECTION_REASON_BAD_SIGNATURE),
            List.of("t3")),
        Arguments.of(
            "a rejection of a re-issued bundle reaches the newest in-flight Target",
            List.of(target("t3", TargetPhase.Applied, 3, "web=1.0")),
            Evidence.rejection(1, 7, "", RejectionReason.REJECTION_REASON_EXPIRED),
            List.of("t3")),
        Arguments.of(
            "a rejection does not reach a Converged Target",
            List.of(target("t3", TargetPhase.Converged, 3, "web=1.0")),
            Evidence.rejection(1, 3, "", RejectionReason.REJECTION_REASON_BAD_SIGNATURE),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("concerned")
  void whichTargetsAnItemIsAbout(
      String title, List<Target> targets, AgentMessage item, List<String> expected) {
    assertThat(EvidenceRules.concerned(targets, item))
        .extracting(t -> t.getMetadata().getName())
        .containsExactlyElementsOf(expected);
  }

  @Test
  void itemsAtOrBelowTheRecordedNumberChangeNothing() {
    Target t = target("t1", TargetPhase.Published, 3, "web=1.0");
    assertThat(
            TargetEvidence.apply(
                t, List.of(Evidence.of(5, 3, DIGEST, prog(), Map.of("web", "1.0"))), NOW))
        .isTrue();
    assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Progressing);
    assertThat(
            TargetEvidence.apply(
                t,
                List.of(
                    Evidence.of(4, 3, DIGEST, conv(), Map.of("web", "1.0")),
                    Evidence.of(5, 3, DIGEST, conv(), Map.of("web", "1.0"))),
                NOW))
        .as("numbers 4 and 5 were already applied")
        .isFalse();
    assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Progressing);
    assertThat(
            TargetEvidence.apply(
                t, List.of(Evidence.of(6, 3, DIGEST, conv(), Map.of("web", "1.0"))), NOW))
        .isTrue();
    assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Converged);
    assertThat(t.getStatus().getEvidence().getNumber()).isEqualTo(6);
  }

  static Stream<Arguments> rejections() {
    return Stream.of(
        // an integrity rejection is a transport alarm on the Cluster, retried (issue 18 item 6)
        Arguments.of(RejectionReason.REJECTION_REASON_BAD_SIGNATURE, TargetPhase.Published),
        Arguments.of(RejectionReason.REJECTION_REASON_EXPIRED, TargetPhase.Failed),
        Arguments.of(RejectionReason.REJECTION_REASON_WRONG_CLUSTER, TargetPhase.Failed),
        // a stale sequence only means a newer bundle won: not a failure of this Target
        Arguments.of(RejectionReason.REJECTION_REASON_STALE_SEQUENCE, TargetPhase.Published));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejections")
  void aRejectionFailsTheTargetUnlessItIsStaleOrAnIntegrityAlarm(
      RejectionReason reason, TargetPhase expected) {
    Target t = target("t1", TargetPhase.Published, 3, "web=1.0");
    assertThat(TargetEvidence.apply(t, List.of(Evidence.rejection(1, 3, DIGEST, reason)), NOW))
        .isTrue();
    assertThat(t.getStatus().getPhase()).isEqualTo(expected);
    assertThat(t.getStatus().getMessage())
        .contains("bundle seq-3 rejected by the agent (" + reason.name().substring(17) + ")");
  }

  @Test
  void evidenceKeepsOnlyTheTargetsOwnUnitsAndLeavesFinishedPhasesAlone() {
    Target t = target("t1", TargetPhase.Published, 3, "web=1.0");
    TargetEvidence.apply(
        t, List.of(Evidence.of(1, 3, DIGEST, conv(), Map.of("web", "1.0", "api", "2.0"))), NOW);
    assertThat(t.getStatus().getEvidence().getUnits())
        .extracting(UnitEvidence::getUnit)
        .containsExactly("web");
    Target skipped = target("t2", TargetPhase.Skipped, 3, "web=1.0");
    TargetEvidence.apply(
        skipped, List.of(Evidence.of(1, 3, DIGEST, conv(), Map.of("web", "1.0"))), NOW);
    assertThat(skipped.getStatus().getPhase()).isEqualTo(TargetPhase.Skipped);
    assertThat(skipped.getStatus().getEvidence().getNumber()).isEqualTo(1);
  }

  private static io.kapro.agent.v1.UnitPhase conv() {
    return io.kapro.agent.v1.UnitPhase.UNIT_PHASE_CONVERGED;
  }

  private static io.kapro.agent.v1.UnitPhase prog() {
    return io.kapro.agent.v1.UnitPhase.UNIT_PHASE_PROGRESSING;
  }

  /** A Target of cluster c1 with its bundle's sequence (0: none yet) and units "name=version". */
  static Target target(String name, TargetPhase phase, long sequence, String... units) {
    Target t = new Target();
    t.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
    TargetSpec spec = new TargetSpec();
    spec.setCluster("c1");
    spec.setUnits(
        Arrays.stream(units)
            .map(
                u -> {
                  UnitVersion v = new UnitVersion();
                  v.setName(u.split("=")[0]);
                  v.setVersion(u.split("=")[1]);
                  return v;
                })
            .toList());
    t.setSpec(spec);
    TargetStatus s = new TargetStatus();
    s.setPhase(phase);
    if (sequence > 0) {
      BundleRef b = new BundleRef();
      b.setSequence(sequence);
      b.setDigest(DIGEST);
      s.setBundle(b);
    }
    t.setStatus(s);
    return t;
  }
}
