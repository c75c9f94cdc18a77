package io.kapro.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kapro.agent.drift.DriftOptions;
import io.kapro.agent.testing.Failure;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.UnitEvidence;
import io.kapro.agent.v1.UnitPhase;
import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.store.OciLayoutStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After Converged the agent keeps watching the objects its bundle manages: a health regression and
 * its recovery, drift under {@code report} and {@code reapply}, and an owner that keeps reverting a
 * field all reach the hub as evidence. Real agent pull loop, mock API server, fake Flux controller,
 * OCI layout bundle source; the poll interval is long so only the object watch can notice.
 */
class ContinuousObservationIT {
  @TempDir Path state;
  PullFixture f;
  OciLayoutStore store;

  @BeforeEach
  void setUp() throws Exception {
    f = new PullFixture(state);
    f.awaitBaseline();
    store = OciLayoutStore.directory(Files.createDirectories(state.resolve("layout")));
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
    store.close();
  }

  PullLoop converge(BundlePayload payload) throws Exception {
    f.publish(store, PullFixture.REPO, payload);
    PullLoop loop = f.loop(store, Duration.ofMinutes(10));
    loop.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> f.hubSawConverged(payload.sequence()));
    return loop;
  }

  Optional<UnitEvidence> lastPodinfo() {
    List<AgentMessage> ev = f.evidenceFor(1);
    for (AgentMessage m : ev.reversed()) {
      for (UnitEvidence u : m.getEvidence().getUnitsList()) {
        if (u.getUnit().equals("podinfo")) {
          return Optional.of(u);
        }
      }
    }
    return Optional.empty();
  }

  void setVersionByHand(String version) {
    f.kube
        .client()
        .genericKubernetesResources(
            io.kapro.agent.kube.MockKubes.context(PullFixture.HR, PullFixture.kind(PullFixture.HR)))
        .inNamespace("apps")
        .withName("podinfo")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"chart\":{\"spec\":{\"version\":\"" + version + "\"}}}}");
  }

  @Test
  void aRegressionAfterConvergedIsReportedWithTheUpstreamReasonAndSoIsTheRecovery()
      throws Exception {
    converge(PullFixture.payload(1, "6.5.4", "v1.2.0"));
    f.flux.regress(
        "apps",
        "podinfo",
        new Failure(
            false,
            "TestFailed",
            "Helm test failed for release apps/podinfo.v2 with chart podinfo@6.5.4: 1 hook failed"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                lastPodinfo()
                    .map(u -> u.getPhase() == UnitPhase.UNIT_PHASE_DEGRADED)
                    .orElse(false));
    UnitEvidence degraded = lastPodinfo().orElseThrow();
    assertThat(degraded.getConditionsList())
        .anyMatch(c -> c.getType().equals("Ready") && c.getReason().equals("TestFailed"));
    assertThat(degraded.getMessage()).contains("TestFailed");
    assertThat(f.metrics.scrape()).contains("kapro_agent_regressions_total 1.0");

    f.flux.recover("apps", "podinfo");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                lastPodinfo()
                    .map(u -> u.getPhase() == UnitPhase.UNIT_PHASE_CONVERGED)
                    .orElse(false));
  }

  @Test
  void driftUnderReportIsReportedAndLeftAlone() throws Exception {
    converge(PullFixture.payload(1, "6.5.4", "v1.2.0"));
    setVersionByHand("6.5.0");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> lastPodinfo().map(u -> u.getDriftCount() == 1).orElse(false));
    UnitEvidence u = lastPodinfo().orElseThrow();
    assertThat(u.getDrift(0).getPath()).isEqualTo("spec.chart.spec.version");
    assertThat(u.getDrift(0).getDesired()).isEqualTo("6.5.4");
    assertThat(u.getDrift(0).getObserved()).isEqualTo("6.5.0");
    assertThat(u.getReapplied()).isZero();
    assertThat(f.helmVersion()).isEqualTo("6.5.0");
    assertThat(f.metrics.scrape()).contains("kapro_agent_drift_detected_total 1.0");

    setVersionByHand("6.5.4"); // put back by a person: the drift ends
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> lastPodinfo().map(x -> x.getDriftCount() == 0).orElse(false));
  }

  @Test
  void driftUnderReapplyIsPutBackAndCounted() throws Exception {
    converge(PullFixture.payload(1, "6.5.4", "v1.2.0").withDrift(BundlePayload.DRIFT_REAPPLY));
    setVersionByHand("6.5.0");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                lastPodinfo()
                    .map(u -> u.getReapplied() == 1 && u.getDriftCount() == 0)
                    .orElse(false));
    assertThat(f.helmVersion()).isEqualTo("6.5.4");
    assertThat(f.evidenceFor(1))
        .anySatisfy(
            m ->
                assertThat(m.getEvidence().getUnitsList())
                    .anyMatch(
                        x ->
                            x.getDriftCount() == 1 && x.getDrift(0).getObserved().equals("6.5.0")));
    assertThat(f.metrics.driftReappliedCount()).isEqualTo(1.0);
    assertThat(f.metrics.scrape()).contains("kapro_agent_drift_reapplied_total 1.0");
    // the controller reconciles the restored spec and the unit is Converged again
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                lastPodinfo()
                    .map(u -> u.getPhase() == UnitPhase.UNIT_PHASE_CONVERGED)
                    .orElse(false));
  }

  @Test
  void aFieldRevertedAgainAndAgainIsAnOwnerConflictNamingTheParentAndIsNoLongerFought()
      throws Exception {
    f.drift = new DriftOptions(Duration.ZERO, 3, Duration.ofMinutes(10));
    f.kube
        .client()
        .genericKubernetesResources(
            io.kapro.agent.kube.MockKubes.context(PullFixture.HR, PullFixture.kind(PullFixture.HR)))
        .inNamespace("apps")
        .withName("podinfo")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\"kustomize.toolkit.fluxcd.io/name\":\"apps\","
                + "\"kustomize.toolkit.fluxcd.io/namespace\":\"flux-system\"}}}");
    converge(PullFixture.payload(1, "6.5.4", "v1.2.0").withDrift(BundlePayload.DRIFT_REAPPLY));
    for (int i = 1; i <= 2; i++) {
      int n = i;
      setVersionByHand("6.5.0");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> lastPodinfo().map(u -> u.getReapplied() == n).orElse(false));
    }
    setVersionByHand("6.5.0"); // the third revert within the window
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> lastPodinfo().map(u -> !u.getOwnerConflict().isEmpty()).orElse(false));
    UnitEvidence u = lastPodinfo().orElseThrow();
    assertThat(u.getOwnerConflict())
        .contains("spec.chart.spec.version")
        .contains("Kustomization flux-system/apps (kustomize.toolkit.fluxcd.io/name)");
    assertThat(u.getReapplied()).isEqualTo(2);
    assertThat(u.getDriftCount()).isEqualTo(1);
    assertThat(f.helmVersion()).isEqualTo("6.5.0"); // no longer fought over
    assertThat(f.metrics.scrape()).contains("kapro_agent_owner_conflicts_total 1.0");
  }
}
