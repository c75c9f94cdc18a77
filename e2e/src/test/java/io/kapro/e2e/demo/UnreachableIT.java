package io.kapro.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.Unreachable;
import io.kapro.oci.testing.LocalRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unreachable clusters, end to end (real hub, registry, agents; prod in waves of one cluster and
 * the rest).
 *
 * <ul>
 *   <li>A cluster the hub loses mid-run (3 clusters, {@code unreachable: Wait}, {@code maxWait:
 *       5s}, {@code maxUnavailable: 1}): the first prod cluster's agent is stopped, the hub marks
 *       it {@code Connected=Unknown}, the wave stops waiting for it after maxWait and the other
 *       prod clusters converge; the run waits for its evidence, and once the agent returns it
 *       converges and the run Succeeds.
 *   <li>An {@code AirGapped} cluster among 5 under {@code unreachable: Wait}: the connected four
 *       converge, the run waits; its bundle is carried by {@code kapro mirror} into the cluster's
 *       own registry, its agent applies it, its evidence comes back by {@code kapro mirror} and the
 *       hub's evidence import, and the run Succeeds with all five Converged, within {@code
 *       maxWait}.
 *   <li>The same cluster under {@code unreachable: Skip}: the run Succeeds with it Skipped.
 * </ul>
 */
class UnreachableIT {
  private static final Duration RUN = Duration.ofMinutes(3);

  @TempDir Path dir;
  private DemoFleet fleet;

  private AutoCloseable closeLast;

  @AfterEach
  void stop() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
    if (closeLast != null) {
      closeLast.close();
    }
  }

  /** The demo's baseline run (shop-1-3-0) applied and succeeded. */
  private void baseline() {
    fleet.applyBaseline();
    assertThat(new DemoRun(fleet, l -> {}, true).follow("shop-1-3-0", RUN).phase())
        .isEqualTo(RunPhase.Succeeded);
  }

  /** The demo's Promotion applied: the name of its run once it exists. */
  private String startRun() {
    fleet.applyPromotion();
    return await()
        .atMost(RUN)
        .until(() -> fleet.currentRun(DemoFleet.PROMOTION).orElse(null), r -> r != null);
  }

  /** Cluster {@code name} declared AirGapped. */
  private void airGap(String name) {
    fleet
        .client()
        .resources(Cluster.class)
        .withName(name)
        .edit(
            c -> {
              c.getSpec().setConnectivity(io.kapro.api.v1alpha2.ClusterConnectivity.AirGapped);
              return c;
            });
  }

  /** Until the hub reports cluster {@code name} Connected=False, reason AirGapped. */
  private void awaitAirGapped(String name) {
    await()
        .atMost(RUN)
        .until(
            () ->
                Conditions.find(
                        fleet.cluster(name).getStatus().getConditions(),
                        Kapro.ConditionTypes.CONNECTED)
                    .map(x -> Kapro.Reasons.AIR_GAPPED.equals(x.getReason()))
                    .orElse(false));
  }

  /** Plan canary-then-prod's prod stage (the second) as {@code edit} leaves it. */
  private void prodStage(java.util.function.Consumer<io.kapro.api.v1alpha2.Stage> edit) {
    fleet
        .client()
        .resources(Plan.class)
        .withName("canary-then-prod")
        .edit(
            p -> {
              edit.accept(p.getSpec().getStages().get(1));
              return p;
            });
  }

  private RunPhase phase(String run) {
    return fleet.run(run).map(PromotionRun::getStatus).map(s -> s.getPhase()).orElse(null);
  }

  private Optional<Target> target(String run, String cluster) {
    return fleet.targets(run).stream()
        .filter(t -> cluster.equals(t.getSpec().getCluster()))
        .findFirst();
  }

  private static TargetPhase phaseOf(Optional<Target> t) {
    return t.map(Target::getStatus).map(s -> s.getPhase()).orElse(null);
  }

  private boolean connected(String cluster) {
    Cluster c = fleet.cluster(cluster);
    return c.getStatus() != null
        && Conditions.find(c.getStatus().getConditions(), Kapro.ConditionTypes.CONNECTED)
            .map(x -> x.getStatus() == ConditionStatus.True)
            .orElse(false);
  }

  @Test
  @Timeout(300)
  void anAgentStoppedMidRunWaitsOutMaxWaitAndConvergesWhenItReturns() {
    fleet = DemoFleet.start(DemoOptions.defaults().withClusters(3), dir, l -> {});
    baseline();
    List<String> names = fleet.clusterNames();
    String lost = names.get(1); // prod wave 1
    // heartbeats every second (a lost agent is Unknown after 3 s); agents reconnect to take it
    fleet
        .client()
        .resources(Fleet.class)
        .withName("shop")
        .edit(
            f -> {
              f.getSpec().setHeartbeatIntervalSeconds(1);
              return f;
            });
    for (String c : names) {
      fleet.stopAgent(c);
      fleet.startAgent(c);
    }
    prodStage(
        prod -> {
          prod.setUnreachable(Unreachable.Wait);
          prod.setMaxWait("5s");
          prod.setMaxUnavailable(new IntOrString(1));
          prod.setGates(null);
        });
    await().atMost(RUN).until(() -> names.stream().allMatch(this::connected));

    fleet.stopAgent(lost);
    await().atMost(RUN).until(() -> !connected(lost));
    String run = startRun();
    // every other prod cluster converges although the first wave's cluster is away
    await()
        .atMost(RUN)
        .until(
            () ->
                names.stream()
                    .filter(c -> !c.equals(lost))
                    .allMatch(c -> phaseOf(target(run, c)) == TargetPhase.Converged));
    await()
        .atMost(RUN)
        .until(
            () ->
                fleet.run(run).orElseThrow().getStatus().getStages().stream()
                    .allMatch(s -> s.getPhase() == StagePhase.Succeeded));
    assertThat(phase(run))
        .as("the run waits for the lost cluster's evidence")
        .isEqualTo(RunPhase.Running);
    assertThat(phaseOf(target(run, lost))).isNotIn(TargetPhase.Failed, TargetPhase.Converged);
    // and says so in its status (Ready's message; kapro status prints it)
    await()
        .atMost(RUN)
        .untilAsserted(
            () ->
                assertThat(
                        Conditions.find(
                                fleet.run(run).orElseThrow().getStatus().getConditions(),
                                Kapro.ConditionTypes.READY)
                            .map(c -> c.getMessage())
                            .orElse(""))
                    .startsWith("run Running: ")
                    .contains("waiting for evidence from unreachable cluster(s) [")
                    .contains("/" + lost + "]"));
    assertThat(fleet.localVersions(lost)).isEqualTo("web=1.3.0,api=v1.3.0");

    fleet.startAgent(lost);
    await().atMost(RUN).until(() -> phaseOf(target(run, lost)) == TargetPhase.Converged);
    await().atMost(RUN).until(() -> phase(run) == RunPhase.Succeeded);
    assertThat(fleet.localVersions(lost)).isEqualTo("web=1.4.0,api=v1.4.0");
  }

  @Test
  @Timeout(300)
  void anAirGappedClusterUnderWaitConvergesThroughTheMirrorAndTheRunSucceeds() {
    fleet =
        DemoFleet.start(
            DemoOptions.defaults().withClusters(5),
            FleetWiring.direct().withEvidenceImport(Duration.ofSeconds(1)),
            dir,
            l -> {});
    baseline();
    List<String> names = fleet.clusterNames();
    String gapped = names.get(4); // prod, second wave
    LocalRegistry spoke = LocalRegistry.startPlain(); // the air-gapped site's own registry
    closeLast = spoke;
    fleet.stopAgent(gapped); // no link: its agent comes back on the spoke side only
    airGap(gapped);
    prodStage(
        prod -> {
          prod.setUnreachable(Unreachable.Wait);
          prod.setMaxWait("10m"); // far longer than the carrying below takes
          prod.setGates(null);
        });
    awaitAirGapped(gapped);

    String run = startRun();
    // the connected four converge, every stage succeeds, the run waits for the air-gapped one
    await()
        .atMost(RUN)
        .until(
            () ->
                names.stream()
                    .filter(c -> !c.equals(gapped))
                    .allMatch(c -> phaseOf(target(run, c)) == TargetPhase.Converged));
    // within maxWait the prod wave waits for it: neither the stage nor the run ends
    assertThat(fleet.run(run).orElseThrow().getStatus().getStages())
        .anySatisfy(s -> assertThat(s.getPhase()).isEqualTo(StagePhase.Succeeded)) // canary
        .noneSatisfy(s -> assertThat(s.getPhase()).isEqualTo(StagePhase.Failed));
    assertThat(phase(run))
        .as("the run waits for the air-gapped cluster")
        .isEqualTo(RunPhase.Running);
    Target waiting = target(run, gapped).orElseThrow();
    assertThat(waiting.getStatus().getPhase())
        .isNotIn(TargetPhase.Failed, TargetPhase.Converged, TargetPhase.Skipped);
    assertThat(waiting.getStatus().getBundle()).as("published as usual").isNotNull();
    assertThat(fleet.localVersions(gapped)).isEqualTo("web=1.3.0,api=v1.3.0");

    // bundles: hub registry -> layout (the USB stick) -> the spoke's registry
    String hubUrl = "http://" + fleet.registryHost().orElseThrow();
    String spokeUrl = "http://" + spoke.host();
    String cluster = DemoFleet.NAMESPACE + "/" + gapped;
    String usb = "oci:" + dir.resolve("usb");
    AirGapIT.Run pull =
        AirGapIT.kapro(
            "mirror pull --from %s --insecure --to %s --key %s --cluster %s"
                .formatted(hubUrl, usb, fleet.signingKeyFile(), cluster));
    assertThat(pull.exit()).as(pull.toString()).isZero();
    AirGapIT.Run push =
        AirGapIT.kapro(
            "mirror push --from %s --to %s --insecure --key %s --all"
                .formatted(usb, spokeUrl, fleet.signingKeyFile()));
    assertThat(push.exit()).as(push.toString()).isZero();

    // the air-gapped agent applies it from its own registry
    fleet.cutOff(gapped, spoke.host());
    await().atMost(RUN).until(() -> fleet.localVersions(gapped).equals("web=1.4.0,api=v1.4.0"));

    // evidence: the spoke's registry -> layout -> hub registry -> the hub's import
    String back = "oci:" + dir.resolve("evidence.tar");
    await()
        .atMost(RUN)
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              AirGapIT.Run out =
                  AirGapIT.kapro(
                      ("mirror pull --from %s --insecure --to %s --key %s --content evidence"
                              + " --evidence-ca %s --cluster %s")
                          .formatted(
                              spokeUrl, back, fleet.signingKeyFile(), fleet.hubCaFile(), cluster));
              // not yet: no evidence artifact, or one not yet complete (a pull that finds no
              // artifact for the cluster copies nothing and writes no tar)
              if (out.exit() != 0 || !java.nio.file.Files.exists(dir.resolve("evidence.tar"))) {
                return false; // no evidence artifact yet
              }
              AirGapIT.Run in =
                  AirGapIT.kapro(
                      ("mirror push --from %s --to %s --insecure --key %s --content evidence"
                              + " --evidence-ca %s --all")
                          .formatted(back, hubUrl, fleet.signingKeyFile(), fleet.hubCaFile()));
              assertThat(in.exit()).as(in.toString()).isZero();
              return phaseOf(target(run, gapped)) == TargetPhase.Converged;
            });
    await().atMost(RUN).until(() -> phase(run) == RunPhase.Succeeded);
    assertThat(fleet.targets(run))
        .hasSize(5)
        .allSatisfy(t -> assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Converged));
    assertThat(fleet.cluster(gapped).getStatus().getLastEvidenceNumber())
        .isGreaterThanOrEqualTo(
            target(run, gapped).orElseThrow().getStatus().getEvidence().getNumber());
  }

  @Test
  @Timeout(300)
  void anAirGappedClusterUnderSkipIsSkippedAndTheRunSucceeds() {
    fleet = DemoFleet.start(DemoOptions.defaults().withClusters(5), dir, l -> {});
    baseline();
    String gapped = fleet.clusterNames().get(4); // prod, second wave
    fleet.stopAgent(gapped); // no link is expected to an air-gapped cluster
    airGap(gapped);
    prodStage(
        prod -> {
          prod.setUnreachable(Unreachable.Skip);
          prod.setGates(null);
        });
    awaitAirGapped(gapped);

    String run = startRun();
    await().atMost(RUN).until(() -> phase(run) == RunPhase.Succeeded);
    Target skipped = target(run, gapped).orElseThrow();
    assertThat(skipped.getStatus().getPhase()).isEqualTo(TargetPhase.Skipped);
    assertThat(skipped.getStatus().getMessage())
        .isEqualTo("Unreachable: cluster " + gapped + " is AirGapped (unreachable: Skip)");
    assertThat(skipped.getStatus().getBundle()).as("nothing was published to it").isNull();
    assertThat(fleet.targets(run))
        .hasSize(5)
        .filteredOn(t -> !t.getSpec().getCluster().equals(gapped))
        .hasSize(4)
        .allSatisfy(t -> assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Converged));
    CliRun status = CliRun.kapro(fleet, "status", "shop");
    assertThat(status.exit()).as(status.toString()).isZero();
    assertThat(status.out())
        .contains(
            "skipped: "
                + gapped
                + " (stage prod): Unreachable: cluster "
                + gapped
                + " is AirGapped (unreachable: Skip)");
  }
}
