package io.kapro.hub.evidence;

import static io.kapro.hub.publish.PublishFixture.NS;
import static io.kapro.hub.publish.PublishFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.RejectionReason;
import io.kapro.agent.v1.UnitPhase;
import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.gateway.EvidenceBatch;
import io.kapro.hub.publish.PublishFixture;
import io.kapro.hub.target.PublishedBundle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Evidence lands in Target and Cluster status, once per number, whatever the order. */
class KubeEvidenceSinkIT {
  private static final ClusterId EU = new ClusterId(NS, "eu-1");
  private final PublishFixture hub = new PublishFixture();
  private final KubeEvidenceSink sink = new KubeEvidenceSink(hub.client, hub.clock);

  @AfterEach
  void close() {
    hub.close();
  }

  private PublishedBundle publish(String target, String run, Map<String, String> units) {
    hub.target(target, "eu-1", run, units);
    PublishedBundle b = hub.publisher().publish(request(target, "eu-1", run, units));
    Target t = hub.getTarget(target);
    t.getStatus().setPhase(TargetPhase.Published);
    hub.client.resource(t).updateStatus();
    return b;
  }

  @Test
  void evidenceMovesTheTargetAndProvesVersionsOnceEvenWhenDuplicatedOrReordered() {
    hub.cluster("eu-1");
    PublishedBundle b = publish("run1-prod-eu-1", "run1", Map.of("web", "1.0.0"));
    Map<String, String> web = Map.of("web", "1.0.0");

    sink.write(
        EU,
        new EvidenceBatch(
            List.of(Evidence.of(1, b.sequence(), b.digest(), UnitPhase.UNIT_PHASE_APPLIED, web))));
    Target t = hub.getTarget("run1-prod-eu-1");
    assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Applied);
    assertThat(t.getMetadata().getLabels()).containsEntry(Kapro.Labels.PHASE, "Applied");
    assertThat(sink.appliedUpTo(EU)).isEqualTo(1);

    sink.write(
        EU,
        new EvidenceBatch(
            List.of(
                Evidence.of(2, b.sequence(), b.digest(), UnitPhase.UNIT_PHASE_PROGRESSING, web),
                Evidence.of(3, b.sequence(), b.digest(), UnitPhase.UNIT_PHASE_CONVERGED, web))));
    t = hub.getTarget("run1-prod-eu-1");
    assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Converged);
    assertThat(t.getStatus().getEvidence().getNumber()).isEqualTo(3);
    assertThat(t.getStatus().getEvidence().getUnits())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.getUnit()).isEqualTo("web");
              assertThat(u.getObservedRevision()).startsWith("1.0.0@sha256:");
            });
    assertThat(t.getMetadata().getLabels()).containsEntry(Kapro.Labels.PHASE, "Converged");
    ClusterStatus cs = hub.getCluster("eu-1").getStatus();
    assertThat(cs.getLastEvidenceNumber()).isEqualTo(3);
    assertThat(cs.getVersions().get("web").getVersion()).isEqualTo("1.0.0");
    assertThat(cs.getVersionSummary()).isEqualTo("web=1.0.0");
    assertThat(cs.getSequence().getAcknowledged()).isEqualTo(b.sequence());
    String targetVersion = t.getMetadata().getResourceVersion();
    String clusterVersion = hub.getCluster("eu-1").getMetadata().getResourceVersion();

    // Replays (another replica, a resend after a cut) and an older number arriving late change
    // nothing.
    hub.clock.advance(Duration.ofMinutes(1));
    sink.write(
        EU,
        new EvidenceBatch(
            List.of(
                Evidence.of(1, b.sequence(), b.digest(), UnitPhase.UNIT_PHASE_APPLIED, web),
                Evidence.of(2, b.sequence(), b.digest(), UnitPhase.UNIT_PHASE_PROGRESSING, web),
                Evidence.of(3, b.sequence(), b.digest(), UnitPhase.UNIT_PHASE_CONVERGED, web))));
    assertThat(hub.getTarget("run1-prod-eu-1").getMetadata().getResourceVersion())
        .isEqualTo(targetVersion);
    assertThat(hub.getCluster("eu-1").getMetadata().getResourceVersion()).isEqualTo(clusterVersion);

    // A new version: the old one becomes the rollback version; the old Target is left alone.
    PublishedBundle b2 = publish("run2-prod-eu-1", "run2", Map.of("web", "1.1.0"));
    sink.write(
        EU,
        new EvidenceBatch(
            List.of(
                Evidence.of(
                    4,
                    b2.sequence(),
                    b2.digest(),
                    UnitPhase.UNIT_PHASE_PROGRESSING,
                    Map.of("web", "1.1.0")),
                Evidence.of(
                    5,
                    b2.sequence(),
                    b2.digest(),
                    UnitPhase.UNIT_PHASE_CONVERGED,
                    Map.of("web", "1.1.0")))));
    assertThat(hub.getTarget("run2-prod-eu-1").getStatus().getPhase())
        .isEqualTo(TargetPhase.Converged);
    assertThat(hub.getTarget("run1-prod-eu-1").getMetadata().getResourceVersion())
        .isEqualTo(targetVersion);
    cs = hub.getCluster("eu-1").getStatus();
    assertThat(cs.getVersions().get("web").getVersion()).isEqualTo("1.1.0");
    assertThat(cs.getPreviousVersions()).containsEntry("web", "1.0.0");
    assertThat(cs.getLastEvidenceNumber()).isEqualTo(5);
  }

  @Test
  void aRegressionAfterConvergedAndDriftShowOnTargetAndClusterWithTheUpstreamReason() {
    hub.cluster("eu-1");
    PublishedBundle b = publish("run1-prod-eu-1", "run1", Map.of("web", "1.0.0"));
    Map<String, String> web = Map.of("web", "1.0.0");
    sink.write(
        EU,
        new EvidenceBatch(
            List.of(
                Evidence.of(1, b.sequence(), b.digest(), UnitPhase.UNIT_PHASE_CONVERGED, web))));
    Target t = hub.getTarget("run1-prod-eu-1");
    assertThat(Conditions.find(t.getStatus().getConditions(), "Degraded").orElseThrow().getReason())
        .isEqualTo("Healthy");
    assertThat(Conditions.find(t.getStatus().getConditions(), "Drifted").orElseThrow().getReason())
        .isEqualTo("InSync");

    // helm-controller's Ready=False after a failed test, as the agent copies it
    AgentMessage degraded =
        withUnit(
            Evidence.of(2, b.sequence(), b.digest(), UnitPhase.UNIT_PHASE_DEGRADED, web),
            u ->
                u.setMessage("Ready=False (TestFailed): Helm test failed")
                    .addConditions(
                        io.kapro.agent.v1.ObservedCondition.newBuilder()
                            .setType("Ready")
                            .setStatus("False")
                            .setReason("TestFailed")
                            .setMessage("Helm test failed")));
    sink.write(EU, new EvidenceBatch(List.of(degraded)));
    t = hub.getTarget("run1-prod-eu-1");
    assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Degraded);
    var cond = Conditions.find(t.getStatus().getConditions(), "Degraded").orElseThrow();
    assertThat(cond.getStatus()).hasToString("True");
    assertThat(cond.getReason()).isEqualTo("TestFailed");
    assertThat(cond.getMessage()).contains("unit web Degraded: Ready=False (TestFailed)");
    assertThat(t.getStatus().getEvidence().getUnits().getFirst().getReason())
        .isEqualTo("TestFailed");
    Cluster c = hub.getCluster("eu-1");
    assertThat(Conditions.find(c.getStatus().getConditions(), "Degraded").orElseThrow().getReason())
        .isEqualTo("TestFailed");

    // drift: the field was changed by hand, then the agent put it back (reapply)
    AgentMessage drifted =
        withUnit(
            Evidence.of(3, b.sequence(), b.digest(), UnitPhase.UNIT_PHASE_CONVERGED, web),
            u ->
                u.addDrift(
                    io.kapro.agent.v1.FieldDrift.newBuilder()
                        .setPath("spec.chart.spec.version")
                        .setDesired("1.0.0")
                        .setObserved("0.9.0")));
    sink.write(EU, new EvidenceBatch(List.of(drifted)));
    t = hub.getTarget("run1-prod-eu-1");
    assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Converged);
    cond = Conditions.find(t.getStatus().getConditions(), "Drifted").orElseThrow();
    assertThat(cond.getReason()).isEqualTo("FieldDrifted");
    assertThat(cond.getMessage())
        .isEqualTo("unit web: spec.chart.spec.version is '0.9.0', the bundle set '1.0.0'");
    assertThat(Conditions.find(t.getStatus().getConditions(), "Degraded").orElseThrow().getReason())
        .isEqualTo("Healthy");
    assertThat(
            Conditions.find(hub.getCluster("eu-1").getStatus().getConditions(), "Drifted")
                .orElseThrow()
                .getReason())
        .isEqualTo("FieldDrifted");

    sink.write(
        EU,
        new EvidenceBatch(
            List.of(
                withUnit(
                    Evidence.of(4, b.sequence(), b.digest(), UnitPhase.UNIT_PHASE_CONVERGED, web),
                    u -> u.setReapplied(1)),
                withUnit(
                    Evidence.of(5, b.sequence(), b.digest(), UnitPhase.UNIT_PHASE_CONVERGED, web),
                    u ->
                        u.setReapplied(2)
                            .setOwnerConflict(
                                "spec.chart.spec.version of HelmRelease apps/web reverted 3 times"
                                    + " within PT10M by Kustomization flux-system/apps")))));
    cond =
        Conditions.find(hub.getTarget("run1-prod-eu-1").getStatus().getConditions(), "Drifted")
            .orElseThrow();
    assertThat(cond.getReason()).isEqualTo("OwnerConflict");
    assertThat(cond.getMessage()).contains("Kustomization flux-system/apps");
    assertThat(
            hub.getTarget("run1-prod-eu-1")
                .getStatus()
                .getEvidence()
                .getUnits()
                .getFirst()
                .getReapplied())
        .isEqualTo(2);
  }

  private static AgentMessage withUnit(
      AgentMessage m,
      java.util.function.UnaryOperator<io.kapro.agent.v1.UnitEvidence.Builder> edit) {
    var e = m.getEvidence().toBuilder();
    e.setUnits(0, edit.apply(e.getUnits(0).toBuilder()));
    return AgentMessage.newBuilder().setEvidence(e).build();
  }

  @Test
  void evidenceAboutAReissuedBundleStillReachesTheTarget() {
    hub.fleet("1h", "20m");
    hub.cluster("eu-1");
    PublishedBundle b = publish("run1-prod-eu-1", "run1", Map.of("web", "1.0.0", "api", "2.0.0"));
    hub.clock.advance(Duration.ofMinutes(45));
    PublishedBundle again = hub.publisher().reissueIfDue(EU).orElseThrow();
    assertThat(again.sequence()).isGreaterThan(b.sequence());
    sink.write(
        EU,
        new EvidenceBatch(
            List.of(
                Evidence.of(
                    1,
                    again.sequence(),
                    again.digest(),
                    UnitPhase.UNIT_PHASE_CONVERGED,
                    Map.of("web", "1.0.0", "api", "2.0.0")))));
    assertThat(hub.getTarget("run1-prod-eu-1").getStatus().getPhase())
        .isEqualTo(TargetPhase.Converged);
  }

  @Test
  void aRejectionFailsTheTargetWithTheReasonAndAStaleOneOnlyExplains() {
    hub.cluster("eu-1");
    PublishedBundle b = publish("run1-prod-eu-1", "run1", Map.of("web", "1.0.0"));
    sink.write(
        EU,
        new EvidenceBatch(
            List.of(
                Evidence.rejection(
                    1,
                    b.sequence(),
                    b.digest(),
                    RejectionReason.REJECTION_REASON_STALE_SEQUENCE))));
    Target t = hub.getTarget("run1-prod-eu-1");
    assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Published);
    assertThat(t.getStatus().getMessage()).contains("STALE_SEQUENCE");

    sink.write(
        EU,
        new EvidenceBatch(
            List.of(
                Evidence.rejection(
                    2, b.sequence(), b.digest(), RejectionReason.REJECTION_REASON_UNTRUSTED_KEY))));
    t = hub.getTarget("run1-prod-eu-1");
    assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Failed);
    assertThat(t.getStatus().getMessage()).contains("UNTRUSTED_KEY").contains("no trusted key");
    assertThat(Conditions.find(t.getStatus().getConditions(), Kapro.ConditionTypes.READY))
        .hasValueSatisfying(
            c -> assertThat(c.getReason()).isEqualTo(Kapro.Reasons.BUNDLE_REJECTED));
    assertThat(t.getMetadata().getLabels()).containsEntry(Kapro.Labels.PHASE, "Failed");
    assertThat(hub.getCluster("eu-1").getStatus().getLastEvidenceNumber()).isEqualTo(2);
  }

  @Test
  void aMirrorsIntegrityRejectionIsATransportAlarmOnTheClusterNeverATargetFailure() {
    hub.cluster("eu-1");
    PublishedBundle b = publish("run1-prod-eu-1", "run1", Map.of("web", "1.0.0"));
    io.kapro.hub.metrics.HubMetrics metrics = new io.kapro.hub.metrics.HubMetrics();
    KubeEvidenceSink alarmed = new KubeEvidenceSink(hub.client, hub.clock, metrics);
    alarmed.write(
        EU,
        new EvidenceBatch(
            List.of(
                Evidence.rejection(1, 0, b.digest(), RejectionReason.REJECTION_REASON_UNSIGNED),
                Evidence.rejection(
                    2, 0, b.digest(), RejectionReason.REJECTION_REASON_LAYER_DIGEST_MISMATCH))));
    Target t = hub.getTarget("run1-prod-eu-1");
    assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Published);
    assertThat(t.getStatus().getMessage()).contains("LAYER_DIGEST_MISMATCH");
    assertThat(Conditions.find(t.getStatus().getConditions(), Kapro.ConditionTypes.READY))
        .isEmpty();
    Cluster c = hub.getCluster("eu-1");
    assertThat(
            Conditions.find(c.getStatus().getConditions(), Kapro.ConditionTypes.BUNDLE_TRANSPORT))
        .hasValueSatisfying(
            cond -> {
              assertThat(cond.getStatus().name()).isEqualTo("False");
              assertThat(cond.getReason()).isEqualTo(Kapro.Reasons.INTEGRITY_REJECTED);
              assertThat(cond.getMessage()).contains(b.digest()).contains("LAYER_DIGEST_MISMATCH");
            });
    assertThat(metrics.scrape())
        .contains("kapro_bundle_transport_alarms_total{reason=\"UNSIGNED\"} 1.0")
        .contains("kapro_bundle_transport_alarms_total{reason=\"LAYER_DIGEST_MISMATCH\"} 1.0");
    assertThat(hub.client.v1().events().inNamespace(NS).list().getItems())
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo(Kapro.Reasons.INTEGRITY_REJECTED);
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getInvolvedObject().getKind()).isEqualTo("Cluster");
            });

    // the mirror behaves again: the same bundle verifies and applies, the alarm clears
    alarmed.write(
        EU,
        new EvidenceBatch(
            List.of(
                Evidence.of(
                    3,
                    b.sequence(),
                    b.digest(),
                    UnitPhase.UNIT_PHASE_APPLIED,
                    Map.of("web", "1.0.0")))));
    assertThat(hub.getTarget("run1-prod-eu-1").getStatus().getPhase())
        .isEqualTo(TargetPhase.Applied);
    assertThat(
            Conditions.find(
                hub.getCluster("eu-1").getStatus().getConditions(),
                Kapro.ConditionTypes.BUNDLE_TRANSPORT))
        .hasValueSatisfying(
            cond -> assertThat(cond.getReason()).isEqualTo(Kapro.Reasons.BUNDLE_VERIFIED));
  }

  @Test
  void anAgentWithUnreadableStateOrAFrozenChannelExplainsWithoutFailingTheTarget() {
    hub.cluster("eu-1");
    PublishedBundle b = publish("run1-prod-eu-1", "run1", Map.of("web", "1.0.0"));
    sink.write(
        EU,
        new EvidenceBatch(
            List.of(
                Evidence.rejection(
                    1,
                    b.sequence(),
                    b.digest(),
                    RejectionReason.REJECTION_REASON_STATE_UNAVAILABLE))));
    Target t = hub.getTarget("run1-prod-eu-1");
    assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Published);
    assertThat(t.getStatus().getMessage()).contains("STATE_UNAVAILABLE");
    sink.write(
        EU,
        new EvidenceBatch(
            List.of(
                Evidence.rejection(
                    2,
                    b.sequence(),
                    b.digest(),
                    RejectionReason.REJECTION_REASON_APPLIED_BUNDLE_EXPIRED))));
    t = hub.getTarget("run1-prod-eu-1");
    assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Published);
    assertThat(t.getStatus().getMessage()).contains("APPLIED_BUNDLE_EXPIRED");
  }

  @Test
  void evidenceForAnotherClustersTargetsOrUnknownVersionsTouchesNoTarget() {
    hub.cluster("eu-1");
    PublishedBundle b = publish("run1-prod-eu-1", "run1", Map.of("web", "1.0.0"));
    String rv = hub.getTarget("run1-prod-eu-1").getMetadata().getResourceVersion();
    List<AgentMessage> items =
        List.of(
            Evidence.of(
                1,
                b.sequence(),
                b.digest(),
                UnitPhase.UNIT_PHASE_CONVERGED,
                Map.of("web", "9.9.9")),
            Evidence.of(
                2,
                b.sequence() - 1,
                b.digest(),
                UnitPhase.UNIT_PHASE_CONVERGED,
                Map.of("web", "1.0.0")));
    sink.write(EU, new EvidenceBatch(items));
    assertThat(hub.getTarget("run1-prod-eu-1").getMetadata().getResourceVersion()).isEqualTo(rv);
    Cluster c = hub.getCluster("eu-1");
    assertThat(c.getStatus().getLastEvidenceNumber()).isEqualTo(2);
  }

  /**
   * Evidence naming units the hub never sent the cluster: the units are dropped before any write,
   * counted per reason (kapro_evidence_units_dropped_total) and reported by a Warning Event on the
   * Cluster, one per hour however often the agent repeats it. Before, they were only logged.
   */
  @Test
  void unitsDroppedFromHostileEvidenceAreCountedAndOneEventTellsTheCluster() {
    hub.cluster("eu-1");
    PublishedBundle b = publish("run1-prod-eu-1", "run1", Map.of("web", "1.0.0"));
    io.kapro.hub.metrics.HubMetrics metrics = new io.kapro.hub.metrics.HubMetrics();
    KubeEvidenceSink counted = new KubeEvidenceSink(hub.client, hub.clock, metrics);
    counted.write(
        EU,
        new EvidenceBatch(
            List.of(
                Evidence.of(
                    1,
                    b.sequence(),
                    b.digest(),
                    UnitPhase.UNIT_PHASE_CONVERGED,
                    Map.of("web", "1.0.0", "evil", "6.6.6", "worse", "6.6.6")))));
    counted.write(
        EU,
        new EvidenceBatch(
            List.of(
                Evidence.of(
                    2,
                    b.sequence(),
                    b.digest(),
                    UnitPhase.UNIT_PHASE_CONVERGED,
                    Map.of("web", "1.0.0", "evil", "6.6.7")))));
    Cluster c = hub.getCluster("eu-1");
    assertThat(c.getStatus().getVersions()).containsOnlyKeys("web");
    assertThat(metrics.scrape())
        .contains("kapro_evidence_units_dropped_total{reason=\"UnitNotSent\"} 3.0");
    assertThat(hub.client.v1().events().inNamespace(NS).list().getItems())
        .filteredOn(e -> Kapro.Reasons.EVIDENCE_UNITS_DROPPED.equals(e.getReason()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getInvolvedObject().getKind()).isEqualTo("Cluster");
              assertThat(e.getInvolvedObject().getName()).isEqualTo("eu-1");
              assertThat(e.getMessage()).contains("the hub did not send").contains("'evil'");
            });
  }
}
