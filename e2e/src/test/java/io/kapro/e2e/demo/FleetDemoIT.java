package io.kapro.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kapro.api.testing.Kubectl;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.OnFailure;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.UnitPhase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local fleet demo as a test: the real hub, registry, agents (mTLS, enrollment, signed bundles)
 * and fake Flux/Argo CD controllers, the quickstart walked through canary, approval and the prod
 * waves. Size from {@code kapro.scale}: 3 clusters when small (CI), 8 when large.
 */
class FleetDemoIT {
  private static final int CLUSTERS =
      "large".equals(System.getProperty("kapro.scale", "small")) ? 8 : 3;
  private static final Duration RUN = Duration.ofMinutes(3);

  @TempDir Path dir;
  private final List<String> log = new ArrayList<>();
  private DemoFleet fleet;
  private ConsoleWarnings warnings;

  @AfterEach
  void stop() {
    if (warnings != null) {
      warnings.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  private DemoFleet start(DemoOptions options) {
    fleet = DemoFleet.start(options, dir, this::say);
    fleet.applyBaseline();
    DemoRun.Result baseline = new DemoRun(fleet, l -> {}, true).follow("shop-1-3-0", RUN);
    if (options.untrustedKey().isEmpty()) {
      assertThat(baseline.phase()).as(String.join("\n", log)).isEqualTo(RunPhase.Succeeded);
    }
    return fleet;
  }

  private synchronized void say(String line) {
    log.add(line);
  }

  private DemoRun.Result promote(DemoRun run) {
    fleet.applyPromotion();
    return run.follow(DemoFleet.PROMOTION, RUN);
  }

  @Test
  @Timeout(300)
  void everyClusterConvergesOnTheNewVersionThroughCanaryApprovalAndProdWaves() {
    DemoOptions options = DemoOptions.defaults().withClusters(CLUSTERS);
    warnings = ConsoleWarnings.attach();
    start(options);
    DemoRun.Result r = promote(new DemoRun(fleet, this::say, true));
    assertThat(log)
        .as("the demo's console lines")
        .noneMatch(l -> l.contains("Exception") || l.contains("\tat "));

    assertThat(r.phase()).as(String.join("\n", log)).isEqualTo(RunPhase.Succeeded);
    assertThat(Verdict.of(options, fleet, r).problems()).isEmpty();
    List<Target> targets = fleet.targets(r.run());
    assertThat(targets)
        .extracting(t -> t.getSpec().getCluster())
        .containsExactlyInAnyOrderElementsOf(DemoOptions.clusterNames(CLUSTERS));
    assertThat(targets)
        .allSatisfy(
            t -> {
              assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Converged);
              assertThat(t.getStatus().getEvidence().getUnits())
                  .extracting(u -> u.getPhase())
                  .containsOnly(UnitPhase.Converged);
            });
    assertThat(targets)
        .filteredOn(t -> t.getSpec().getStage().equals("prod"))
        .extracting(t -> t.getSpec().getWave())
        .contains(0, 1);
    for (String name : fleet.clusterNames()) {
      Cluster c = fleet.cluster(name);
      assertThat(c.getStatus().getVersions().get("web").getVersion()).isEqualTo("1.4.0");
      assertThat(c.getStatus().getVersions().get("api").getVersion()).isEqualTo("v1.4.0");
      assertThat(c.getStatus().getPreviousVersions())
          .containsEntry("web", "1.3.0")
          .containsEntry("api", "v1.3.0");
      // baseline bundle 1 then bundle 2, each published once; each: Applied and Converged
      // evidence at least
      assertThat(c.getStatus().getSequence().getAcknowledged()).as(name).isEqualTo(2L);
      assertThat(c.getStatus().getLastEvidenceNumber()).isGreaterThanOrEqualTo(4L);
      assertThat(fleet.localVersions(name)).isEqualTo("web=1.4.0,api=v1.4.0");
    }
    Map<String, Long> evidence =
        targets.stream()
            .collect(
                Collectors.toMap(
                    t -> t.getSpec().getCluster(), t -> t.getStatus().getEvidence().getNumber()));
    for (String name : fleet.clusterNames()) {
      assertThat(evidence.get(name))
          .isEqualTo(fleet.cluster(name).getStatus().getLastEvidenceNumber());
    }
    assertThat(r.stageTimes()).containsOnlyKeys("canary", "prod");
    assertThat(log).anyMatch(l -> l.contains("kubectl --kubeconfig") && l.contains("Approval"));

    // the printed kubectl command shows the same Targets from the hub API
    Kubectl.Result k = KubectlCommand.run(FleetDemo.kubectl(fleet));
    assertThat(k.exitCode()).as(k.stderr()).isZero();
    assertThat(k.lines())
        .as("kubectl get targets fits 120 columns")
        .allMatch(l -> l.length() <= 120);
    assertThat(log)
        .as("the demo's fleet table fits 120 columns")
        .filteredOn(l -> l.startsWith("run "))
        .allSatisfy(l -> assertThat(l.lines()).allMatch(x -> x.length() <= 120));
    List<List<String>> table = k.table();
    assertThat(table.get(0)).containsSubsequence("NAME", "CLUSTER", "STAGE", "PHASE", "VERSION");
    assertThat(table.subList(1, table.size()))
        .hasSize(CLUSTERS)
        .allSatisfy(
            row -> {
              assertThat(row.get(3)).isEqualTo("Converged");
              assertThat(row.get(4)).isEqualTo("1.4.0");
            });
    assertMetricsMatchTheRun();

    // a clean run, its end included, prints the fleet table and nothing else: no warning, no trace
    fleet.close();
    warnings.close();
    assertThat(warnings.lines()).as("WARN/ERROR log events of a clean run").isEmpty();
  }

  /**
   * What {@code /metrics} on the hub and on every agent say after the happy path: two runs (the
   * baseline and the promotion), one publish per Target, every agent connected and drained.
   */
  private void assertMetricsMatchTheRun() {
    int targets = 2 * CLUSTERS;
    Scrape hub = Scrape.of(fleet.hubMetrics());
    assertThat(hub.value("kapro_runs", "phase", "Succeeded")).isEqualTo(2.0);
    assertThat(hub.value("kapro_targets", "phase", "Converged")).isEqualTo(targets);
    assertThat(hub.value("kapro_publish_duration_seconds_count")).isEqualTo(targets);
    assertThat(hub.value("kapro_gate_evaluations_total")).isPositive();
    assertThat(hub.value("kapro_events_emitted_total", "type", "io.kapro.run.succeeded"))
        .isEqualTo(2.0);
    assertThat(hub.value("kapro_events_emitted_total", "type", "io.kapro.target.converged"))
        .isEqualTo(targets);
    assertThat(hub.value("kapro_certificate_expiry_timestamp_seconds"))
        .isGreaterThan(System.currentTimeMillis() / 1000.0);
    long evidence =
        fleet.clusterNames().stream()
            .mapToLong(n -> fleet.cluster(n).getStatus().getLastEvidenceNumber())
            .sum();
    assertThat(hub.value("kapro_evidence_total")).isGreaterThanOrEqualTo(evidence);
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(Scrape.of(fleet.hubMetrics()).value("kapro_agents_connected"))
                    .isEqualTo(CLUSTERS));
    for (String name : fleet.clusterNames()) {
      Scrape agent = Scrape.of(fleet.agentMetrics(name));
      assertThat(agent.value("kapro_agent_applied_sequence")).as(name).isEqualTo(2.0);
      assertThat(agent.value("kapro_agent_apply_seconds_count")).as(name).isEqualTo(2.0);
      assertThat(agent.value("kapro_agent_converge_seconds_count")).as(name).isEqualTo(2.0);
      assertThat(agent.value("kapro_agent_pulls_total", "result", "changed"))
          .as(name)
          .isGreaterThanOrEqualTo(2.0);
      assertThat(agent.has("kapro_agent_reconnects_total")).as(name).isTrue();
      assertThat(agent.has("kapro_agent_verification_failures_total")).as(name).isFalse();
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () ->
                  assertThat(Scrape.of(fleet.agentMetrics(name)).value("kapro_agent_outbox_depth"))
                      .as(name)
                      .isZero());
    }
  }

  @Test
  @Timeout(300)
  void theAirGapPathPublishesToAnOciLayoutTheAgentsReadFrom() {
    DemoOptions options = DemoOptions.defaults().withClusters(2).withLayout();
    start(options);
    assertThat(fleet.usesRegistry()).isFalse();
    assertThat(log).anyMatch(l -> l.startsWith("bundles: an OCI layout directory"));
    DemoRun.Result r = promote(new DemoRun(fleet, this::say, true));

    assertThat(r.phase()).as(String.join("\n", log)).isEqualTo(RunPhase.Succeeded);
    assertThat(Verdict.of(options, fleet, r).problems()).isEmpty();
    assertThat(dir.resolve("oci-layout/kapro/shop/canary-eu-1/index.json")).isRegularFile();
  }

  /**
   * Issue 17 (c): a suspended Flux object is never reported Converged. helm-controller keeps
   * stamping a suspended HelmRelease's status (generation, Ready) while it applies nothing; the
   * canary's agent says "suspended", the run does not move to prod, and resuming lets it converge.
   */
  @Test
  @Timeout(300)
  void aSuspendedHelmReleaseHoldsTheCanaryAndSaysSuspended() {
    start(DemoOptions.defaults().withClusters(2));
    fleet.suspendWeb("canary-eu-1", true);
    fleet.applyPromotion();
    String run = await().atMost(Duration.ofSeconds(60)).until(() -> currentRun(), r -> r != null);
    Target canary =
        await()
            .atMost(Duration.ofSeconds(120))
            .until(
                () -> byCluster(run).get("canary-eu-1"),
                t ->
                    t != null
                        && t.getStatus() != null
                        && t.getStatus().getEvidence() != null
                        && String.valueOf(t.getStatus().getMessage()).contains("suspended"));
    assertThat(canary.getStatus().getPhase()).isNotEqualTo(TargetPhase.Converged);
    assertThat(canary.getStatus().getEvidence().getUnits())
        .filteredOn(u -> u.getUnit().equals("web"))
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.getPhase()).isNotEqualTo(UnitPhase.Converged);
              assertThat(u.getMessage()).contains("suspended");
            });
    // the canary holds the run: prod has no Target, the cluster proves no new version
    assertThat(byCluster(run)).doesNotContainKey("prod-eu-1");
    assertThat(fleet.cluster("canary-eu-1").getStatus().getVersions().get("web").getVersion())
        .isEqualTo("1.3.0");
    assertThat(fleet.run(run).orElseThrow().getStatus().getPhase())
        .isNotEqualTo(RunPhase.Succeeded);

    fleet.suspendWeb("canary-eu-1", false);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () -> byCluster(run).get("canary-eu-1").getStatus().getPhase(),
            p -> p == TargetPhase.Converged);
    // the Target and the Cluster are two objects written one after the other from the same
    // evidence batch: the Cluster's proven version follows the Target's phase
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        fleet
                            .cluster("canary-eu-1")
                            .getStatus()
                            .getVersions()
                            .get("web")
                            .getVersion())
                    .isEqualTo("1.4.0"));
  }

  private String currentRun() {
    return fleet.currentRun(DemoFleet.PROMOTION).orElse(null);
  }

  @Test
  @Timeout(300)
  void aFailureInProdHaltsTheRunWhenThePlanSaysHalt() {
    String failing = DemoOptions.clusterNames(CLUSTERS).get(1); // prod, first wave
    DemoOptions options =
        DemoOptions.defaults().withClusters(CLUSTERS).withFail(failing, OnFailure.Halt);
    start(options);
    DemoRun.Result r = promote(new DemoRun(fleet, this::say, true));

    assertThat(r.phase()).as(String.join("\n", log)).isEqualTo(RunPhase.Halted);
    assertThat(Verdict.of(options, fleet, r).ok()).isTrue();
    Map<String, Target> byCluster = byCluster(r.run());
    assertThat(byCluster.get(failing).getStatus().getPhase()).isEqualTo(TargetPhase.Failed);
    assertThat(byCluster.get(failing).getStatus().getMessage()).contains("web");
    assertThat(byCluster.get("canary-eu-1").getStatus().getPhase())
        .isEqualTo(TargetPhase.Converged);
    // the rest of prod never moved
    for (String name : fleet.clusterNames()) {
      if (!name.equals(failing) && !name.equals("canary-eu-1")) {
        // still on the baseline: the spoke objects and the proven version never moved
        assertThat(fleet.localVersions(name)).isEqualTo("web=1.3.0,api=v1.3.0");
        assertThat(fleet.cluster(name).getStatus().getVersions().get("web").getVersion())
            .isEqualTo("1.3.0");
      }
    }
  }

  @Test
  @Timeout(300)
  void aFailureInTheSecondProdWaveRollsTheStageBackWithNewSequences() {
    String failing = DemoOptions.clusterNames(CLUSTERS).get(2); // prod, second wave
    DemoOptions options =
        DemoOptions.defaults().withClusters(CLUSTERS).withFail(failing, OnFailure.Rollback);
    start(options);
    DemoRun.Result r = promote(new DemoRun(fleet, this::say, true));

    assertThat(r.phase()).as(String.join("\n", log)).isEqualTo(RunPhase.RolledBack);
    assertThat(Verdict.of(options, fleet, r).problems()).as(String.join("\n", log)).isEmpty();
    String firstWave = DemoOptions.clusterNames(CLUSTERS).get(1);
    for (String name : fleet.clusterNames()) {
      Cluster c = fleet.cluster(name);
      if (name.startsWith("canary")) {
        assertThat(c.getStatus().getVersions().get("web").getVersion()).isEqualTo("1.4.0");
        continue;
      }
      assertThat(c.getStatus().getVersions().get("web").getVersion()).as(name).isEqualTo("1.3.0");
      assertThat(c.getStatus().getVersions().get("api").getVersion()).as(name).isEqualTo("v1.3.0");
      assertThat(fleet.localVersions(name)).isEqualTo("web=1.3.0,api=v1.3.0");
    }
    // the clusters that got 1.4.0 (or tried) went back with a new, higher sequence: 1 baseline,
    // 2 forward, 3 rollback
    assertThat(fleet.cluster(firstWave).getStatus().getSequence().getAcknowledged()).isEqualTo(3L);
    assertThat(fleet.cluster(failing).getStatus().getSequence().getAcknowledged()).isEqualTo(3L);
    assertThat(fleet.targets(r.run()))
        .filteredOn(t -> t.getSpec().getCluster().equals(firstWave))
        .singleElement()
        .satisfies(t -> assertThat(t.getStatus().getBundle().getSequence()).isEqualTo(3L));
  }

  @Test
  @Timeout(300)
  void aChangedPromotionSupersedesTheRunWaitingForApproval() {
    start(DemoOptions.defaults().withClusters(CLUSTERS));
    AtomicBoolean changed = new AtomicBoolean();
    DemoRun run =
        new DemoRun(fleet, this::say, true)
            .onChange(
                t -> {
                  if (t.runPhase().equals("WaitingForApproval")
                      && changed.compareAndSet(false, true)) {
                    fleet.changePromotion("1.4.1", "v1.4.1");
                  }
                });
    // the first run waits for its approval: the DemoRun approves it, but only after the change
    fleet.applyPromotion();
    String first = awaitRun();
    DemoRun.Result r = run.follow(DemoFleet.PROMOTION, RUN);

    assertThat(changed).isTrue();
    assertThat(r.run()).isNotEqualTo(first);
    assertThat(r.phase()).as(String.join("\n", log)).isEqualTo(RunPhase.Succeeded);
    PromotionRun old = fleet.run(first).orElseThrow();
    assertThat(old.getStatus().getPhase()).isEqualTo(RunPhase.Superseded);
    assertThat(fleet.targets(r.run()))
        .allSatisfy(t -> assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Converged));
    for (String name : fleet.clusterNames()) {
      assertThat(fleet.cluster(name).getStatus().getVersions().get("web").getVersion())
          .isEqualTo("1.4.1");
      assertThat(fleet.localVersions(name)).isEqualTo("web=1.4.1,api=v1.4.1");
    }
  }

  @Test
  @Timeout(300)
  void anAgentTrustingAnotherKeyRefusesItsBundlesAndTheTargetSaysUntrustedKey() {
    DemoOptions options =
        DemoOptions.defaults().withClusters(CLUSTERS).withUntrustedKey("canary-eu-1");
    start(options);
    DemoRun.Result r = promote(new DemoRun(fleet, this::say, true));

    assertThat(r.phase()).as(String.join("\n", log)).isEqualTo(RunPhase.Halted);
    Verdict v = Verdict.of(options, fleet, r);
    assertThat(v.ok()).isFalse();
    assertThat(v.problems())
        .anyMatch(p -> p.contains("canary-eu-1") && p.contains("UNTRUSTED_KEY"));
    Target canary = byCluster(r.run()).get("canary-eu-1");
    assertThat(canary.getStatus().getPhase()).isEqualTo(TargetPhase.Failed);
    assertThat(canary.getStatus().getMessage()).contains("UNTRUSTED_KEY");
    assertThat(fleet.localVersions("canary-eu-1")).isEqualTo("web=1.3.0,api=v1.3.0");
    assertThat(
            Scrape.of(fleet.agentMetrics("canary-eu-1"))
                .value("kapro_agent_verification_failures_total", "reason", "UNTRUSTED_KEY"))
        .isPositive();
    // the canary's Target of the baseline run and of the promotion
    assertThat(Scrape.of(fleet.hubMetrics()).value("kapro_targets", "phase", "Failed"))
        .isEqualTo(2.0);
  }

  private String awaitRun() {
    return org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> fleet.currentRun(DemoFleet.PROMOTION).orElse(null), java.util.Objects::nonNull);
  }

  private Map<String, Target> byCluster(String run) {
    return fleet.targets(run).stream()
        .collect(Collectors.toMap(t -> t.getSpec().getCluster(), t -> t));
  }
}
