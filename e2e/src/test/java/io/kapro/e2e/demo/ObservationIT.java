package io.kapro.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kapro.api.Conditions;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.DriftPolicy;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Convergence is not the end: real hub, registry, agents and fake Flux/Argo CD controllers, three
 * clusters. (a) the canary's Flux controller turns {@code Ready=False} while the canary soaks: the
 * canary stage fails, the Plan's onFailure (Halt) applies, and the Target and Cluster show Degraded
 * with the controller's reason; (b) a converged cluster's HelmRelease version is changed by hand:
 * the hub shows Drifted (policy Report), or the agent puts it back and counts it (policy Reapply).
 */
class ObservationIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String CANARY = "canary-eu-1";
  private static final String PROD = "prod-eu-1";

  @TempDir Path dir;
  private final List<String> log = new ArrayList<>();
  private DemoFleet fleet;

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
  }

  private synchronized void say(String line) {
    log.add(line);
  }

  /** Starts the demo world and converges the baseline (1.3.0) everywhere. */
  private void start(DemoOptions options) {
    fleet = DemoFleet.start(options, dir, this::say);
    fleet.applyBaseline();
    DemoRun.Result baseline = new DemoRun(fleet, l -> {}, true).follow("shop-1-3-0", WAIT);
    assertThat(baseline.phase()).as(String.join("\n", log)).isEqualTo(RunPhase.Succeeded);
  }

  private Target target(String run, String cluster) {
    return fleet.targets(run).stream()
        .filter(t -> t.getSpec().getCluster().equals(cluster))
        .findFirst()
        .orElseThrow();
  }

  private Target baseline(String cluster) {
    return target(fleet.currentRun("shop-1-3-0").orElseThrow(), cluster);
  }

  private static Optional<Condition> condition(List<Condition> conditions, String type) {
    return Conditions.find(conditions, type);
  }

  private static boolean is(Optional<Condition> c, String status, String reason) {
    return c.isPresent()
        && c.get().getStatus() != null
        && c.get().getStatus().name().equals(status)
        && reason.equals(c.get().getReason());
  }

  @Test
  @Timeout(240)
  void aCanaryThatRegressesWhileItSoaksHaltsTheRunAndShowsTheUpstreamReason() {
    start(DemoOptions.defaults().withClusters(3).withSoak(Duration.ofMinutes(5)));
    fleet.applyPromotion();
    await()
        .atMost(WAIT)
        .until(
            () ->
                fleet
                    .currentRun(DemoFleet.PROMOTION)
                    .flatMap(fleet::run)
                    .map(ObservationIT::canarySoaking)
                    .orElse(false));
    String run = fleet.currentRun(DemoFleet.PROMOTION).orElseThrow();
    assertThat(target(run, CANARY).getStatus().getPhase()).isEqualTo(TargetPhase.Converged);

    // helm-controller's verdict after a failed Helm test: Ready=False, reason TestFailed
    fleet.regressWeb(
        CANARY,
        "TestFailed",
        "Helm test failed for release shop/web with chart web@1.4.0: 1 test hook failed");

    await()
        .atMost(WAIT)
        .until(
            () -> fleet.run(run).map(r -> r.getStatus().getPhase()).orElse(null),
            p -> p == RunPhase.Halted);
    PromotionRun r = fleet.run(run).orElseThrow();
    var canary =
        r.getStatus().getStages().stream()
            .filter(s -> s.getName().equals("canary"))
            .findFirst()
            .orElseThrow();
    assertThat(canary.getPhase()).isEqualTo(StagePhase.Failed);
    assertThat(canary.getMessage())
        .as(String.join("\n", log))
        .contains("cluster " + CANARY)
        .contains("web Degraded")
        .contains("TestFailed")
        .contains("onFailure: Halt");
    Target t = target(run, CANARY);
    assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Degraded);
    Condition degraded = condition(t.getStatus().getConditions(), "Degraded").orElseThrow();
    assertThat(degraded.getStatus().name()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo("TestFailed");
    assertThat(degraded.getMessage()).contains("Helm test failed");
    assertThat(
            condition(fleet.cluster(CANARY).getStatus().getConditions(), "Degraded")
                .orElseThrow()
                .getReason())
        .isEqualTo("TestFailed");
    // prod never started: its clusters still run the baseline
    assertThat(fleet.localVersions(PROD)).isEqualTo("web=1.3.0,api=v1.3.0");
    assertThat(Scrape.of(fleet.agentMetrics(CANARY)).value("kapro_agent_regressions_total"))
        .isEqualTo(1.0);
  }

  private static boolean canarySoaking(PromotionRun r) {
    return r.getStatus() != null
        && r.getStatus().getStages() != null
        && r.getStatus().getStages().stream()
            .anyMatch(s -> s.getName().equals("canary") && s.getPhase() == StagePhase.Soaking);
  }

  @Test
  @Timeout(240)
  void aVersionChangedByHandShowsAsDriftedUnderReport() {
    start(DemoOptions.defaults().withClusters(3));
    fleet.setWebByHand(PROD, "1.2.9");
    await()
        .atMost(WAIT)
        .until(
            () ->
                is(
                    condition(baseline(PROD).getStatus().getConditions(), "Drifted"),
                    "True",
                    "FieldDrifted"));
    Condition drifted =
        condition(baseline(PROD).getStatus().getConditions(), "Drifted").orElseThrow();
    assertThat(drifted.getMessage())
        .isEqualTo("unit web: spec.chart.spec.version is '1.2.9', the bundle set '1.3.0'");
    assertThat(
            is(
                condition(fleet.cluster(PROD).getStatus().getConditions(), "Drifted"),
                "True",
                "FieldDrifted"))
        .isTrue();
    assertThat(fleet.localVersions(PROD)).startsWith("web=1.2.9"); // Report changes nothing
  }

  @Test
  @Timeout(240)
  void aVersionChangedByHandIsPutBackAndCountedUnderReapply() {
    start(DemoOptions.defaults().withClusters(3).withDrift(DriftPolicy.Reapply));
    fleet.setWebByHand(PROD, "1.2.9");
    await()
        .atMost(WAIT)
        .until(
            () ->
                is(
                    condition(baseline(PROD).getStatus().getConditions(), "Drifted"),
                    "False",
                    "Reapplied"));
    assertThat(fleet.localVersions(PROD)).startsWith("web=1.3.0");
    assertThat(
            baseline(PROD).getStatus().getEvidence().getUnits().stream()
                .filter(u -> u.getUnit().equals("web"))
                .findFirst()
                .orElseThrow()
                .getReapplied())
        .isEqualTo(1);
    assertThat(Scrape.of(fleet.agentMetrics(PROD)).value("kapro_agent_drift_reapplied_total"))
        .isEqualTo(1.0);
    assertThat(Scrape.of(fleet.agentMetrics(PROD)).value("kapro_agent_drift_detected_total"))
        .isEqualTo(1.0);
  }
}
