package io.kapro.hub.engine;

import static io.kapro.hub.engine.Fixtures.fleet;
import static io.kapro.hub.engine.Fixtures.ring;
import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.ClusterConnectivity;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.Unreachable;
import io.kapro.hub.engine.plan.PlanBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Clusters the engine cannot reach (AirGapped, or Connected not True) under each {@code
 * unreachable} policy, with clusters that come and go. The fleet: canary (1) then prod (4, waves
 * 50% / 100%), prod timeout 30m; one prod cluster of the first wave is the one in question.
 */
class RunEngineReachabilityTest {
  private static final String ODD = "prod-0000";

  /** How the odd cluster behaves during the run. */
  enum Story {
    /** AirGapped; its evidence is imported at minute {@code at} (never if negative). */
    AIR_GAPPED,
    /** Connected; its agent stops at publication and returns at minute {@code at}. */
    AGENT_STOPS
  }

  record Row(
      String name,
      Story story,
      Unreachable policy,
      String maxUnavailable,
      int evidenceAt,
      RunPhase phase,
      TargetPhase odd,
      boolean secondWaveOpenedBeforeEvidence) {}

  static Stream<Arguments> rows() {
    return Stream.of(
            // the air-gapped cluster's evidence comes back (by import) well within maxWait 1h
            new Row(
                "airGapped, Wait, evidence within maxWait",
                Story.AIR_GAPPED,
                Unreachable.Wait,
                "0",
                20,
                RunPhase.Succeeded,
                TargetPhase.Converged,
                false),
            // evidence after maxWait: the wave goes on without it (budget 1), the run Succeeds
            // once the evidence arrives days later
            new Row(
                "airGapped, Wait, evidence after maxWait",
                Story.AIR_GAPPED,
                Unreachable.Wait,
                "1",
                3 * 24 * 60,
                RunPhase.Succeeded,
                TargetPhase.Converged,
                true),
            // past maxWait it counts against maxUnavailable 0: the stage fails
            new Row(
                "airGapped, Wait, no budget",
                Story.AIR_GAPPED,
                Unreachable.Wait,
                "0",
                -1,
                RunPhase.Halted,
                TargetPhase.Published,
                false),
            new Row(
                "airGapped, Skip",
                Story.AIR_GAPPED,
                Unreachable.Skip,
                "0",
                -1,
                RunPhase.Succeeded,
                TargetPhase.Skipped,
                true),
            new Row(
                "airGapped, Fail, no budget",
                Story.AIR_GAPPED,
                Unreachable.Fail,
                "0",
                -1,
                RunPhase.Halted,
                TargetPhase.Failed,
                false),
            new Row(
                "airGapped, Fail, budget 1",
                Story.AIR_GAPPED,
                Unreachable.Fail,
                "1",
                -1,
                RunPhase.Succeeded,
                TargetPhase.Failed,
                true),
            // the agent is gone for 90 minutes, longer than the stage timeout 30m: with Wait
            // nothing times out, the other wave proceeds after maxWait, and the cluster
            // converges when it returns
            new Row(
                "agent stops, Wait, back after 90m",
                Story.AGENT_STOPS,
                Unreachable.Wait,
                "1",
                90,
                RunPhase.Succeeded,
                TargetPhase.Converged,
                true),
            new Row(
                "agent stops, Wait, back within maxWait",
                Story.AGENT_STOPS,
                Unreachable.Wait,
                "0",
                15,
                RunPhase.Succeeded,
                TargetPhase.Converged,
                false),
            // Skip: published before the link was lost, Skipped at maxWait, run goes on
            new Row(
                "agent stops, Skip",
                Story.AGENT_STOPS,
                Unreachable.Skip,
                "0",
                -1,
                RunPhase.Succeeded,
                TargetPhase.Skipped,
                true),
            // Fail: the stage timeout applies as to any Target
            new Row(
                "agent stops, Fail",
                Story.AGENT_STOPS,
                Unreachable.Fail,
                "0",
                -1,
                RunPhase.Halted,
                TargetPhase.Failed,
                false))
        .map(r -> Arguments.of(r.name(), r));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void unreachableClusters(String name, Row row) {
    List<ClusterState> clusters = new ArrayList<>();
    for (ClusterState c : fleet("canary", 1, "prod", 4)) {
      clusters.add(
          c.name().equals(ODD) && row.story() == Story.AIR_GAPPED
              ? new ClusterState(
                  c.name(),
                  c.labels(),
                  Reachability.Unknown,
                  c.versions(),
                  c.previousVersions(),
                  ClusterConnectivity.AirGapped,
                  null)
              : c);
    }
    RunHarness h =
        new RunHarness(
            PlanBuilder.of(
                ring("canary"),
                ring("prod")
                    .withDependsOn("canary")
                    .withWaves("50%", "100%")
                    .withMaxUnavailable(row.maxUnavailable())
                    .withTimeout("30m")),
            clusters);
    var prod = h.plan.getStages().get(1);
    prod.setUnreachable(row.policy());
    prod.setMaxWait("40m");
    Instant[] evidenceAt = {null};
    Instant[] secondWave = {null};
    h.agent =
        t ->
            t.cluster().equals(ODD) && (evidenceAt[0] == null || h.now.isBefore(evidenceAt[0]))
                ? TargetPhase.Published
                : TargetPhase.Converged;
    for (int minute = 0; minute < 4 * 24 * 60 && !h.run.phase().terminal(); minute++) {
      h.step();
      if (row.story() == Story.AGENT_STOPS
          && h.targets.containsKey(new TargetKey("prod", ODD))
          && h.targets.get(new TargetKey("prod", ODD)).phase().inFlight()
          && h.clusters.get(ODD).reachable()
          && evidenceAt[0] == null) {
        // the agent stops right after its bundle was published
        h.clusters.put(ODD, h.clusters.get(ODD).withConnectivity(Reachability.Unknown, null));
        evidenceAt[0] = Instant.MAX;
      }
      if (row.story() == Story.AIR_GAPPED
          && evidenceAt[0] == null
          && h.targets.containsKey(new TargetKey("prod", ODD))) {
        evidenceAt[0] = Instant.MAX;
      }
      if (row.evidenceAt() >= 0
          && evidenceAt[0] == Instant.MAX
          && h.now.isAfter(RunHarness.T0.plus(Duration.ofMinutes(row.evidenceAt())))) {
        evidenceAt[0] = h.now;
        if (row.story() == Story.AGENT_STOPS) {
          h.clusters.put(ODD, h.clusters.get(ODD).withConnectivity(Reachability.Connected, h.now));
        }
      }
      if (secondWave[0] == null && h.inStage("prod").size() == 4) {
        secondWave[0] = h.now;
      }
      h.publish();
      h.converge();
      h.now = h.now.plus(Duration.ofMinutes(1));
    }
    assertThat(h.run.phase()).as("run").isEqualTo(row.phase());
    assertThat(h.targets.get(new TargetKey("prod", ODD)).phase())
        .as("the odd cluster's Target")
        .isEqualTo(row.odd());
    if (row.odd() == TargetPhase.Skipped) {
      assertThat(h.targets.get(new TargetKey("prod", ODD)).message())
          .startsWith("Unreachable: cluster " + ODD);
    }
    if (row.odd() == TargetPhase.Failed && row.story() == Story.AIR_GAPPED) {
      assertThat(h.targets.get(new TargetKey("prod", ODD)).message())
          .startsWith("Unreachable: cluster " + ODD + " is AirGapped");
    }
    if (row.odd() == TargetPhase.Failed && row.story() == Story.AGENT_STOPS) {
      assertThat(h.targets.get(new TargetKey("prod", ODD)).message())
          .startsWith("TimedOut: ")
          .endsWith("cluster Connected=Unknown");
    }
    boolean before =
        secondWave[0] != null
            && (evidenceAt[0] == null
                || evidenceAt[0] == Instant.MAX
                || secondWave[0].isBefore(evidenceAt[0]));
    if (row.phase() == RunPhase.Succeeded) {
      assertThat(before)
          .as("the second wave opened before the odd cluster's evidence")
          .isEqualTo(row.secondWaveOpenedBeforeEvidence());
      assertThat(h.count("prod", TargetPhase.Converged))
          .isEqualTo(row.odd() == TargetPhase.Converged ? 4 : 3);
    }
  }

  @org.junit.jupiter.api.Test
  void underWaitTheRunWaitsForEvidenceAfterEveryStageSucceeded() {
    // the run stays Running after every stage succeeded, waiting for the odd cluster's evidence;
    // its Target is never failed by the 30m stage timeout
    List<ClusterState> clusters = new ArrayList<>(fleet("prod", 2));
    clusters.set(
        0,
        clusters
            .get(0)
            .withConnectivity(Reachability.Connected, RunHarness.T0)
            .withConnectivity(Reachability.Unknown, null));
    RunHarness h =
        new RunHarness(
            PlanBuilder.of(ring("prod").withMaxUnavailable("1").withTimeout("30m")), clusters);
    h.plan.getStages().get(0).setMaxWait("10m");
    Set<String> back = new HashSet<>();
    h.agent = t -> back.contains(t.cluster()) ? TargetPhase.Converged : TargetPhase.Published;
    back.add("prod-0001");
    h.runToEnd(24 * 60);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Running);
    assertThat(h.stagePhase("prod")).isEqualTo(StagePhase.Succeeded);
    assertThat(h.targets.get(new TargetKey("prod", ODD)).phase()).isEqualTo(TargetPhase.Published);
    EngineResult waiting = h.step();
    assertThat(Fixtures.of(waiting, EngineDecision.FailTarget.class)).isEmpty();
    assertThat(waiting.message())
        .as("the run's status says what it waits for")
        .isEqualTo(
            "every stage succeeded; waiting for evidence from unreachable cluster(s) [prod/"
                + ODD
                + "] (unreachable: Wait)");
    back.add(ODD);
    h.clusters.put(ODD, h.clusters.get(ODD).withConnectivity(Reachability.Connected, h.now));
    h.converge();
    h.step();
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
  }

  /**
   * A wave waiting (within maxWait) for an air-gapped cluster's evidence: the engine's result says
   * which cluster and why, for the run's Ready condition; once the evidence is in, it says nothing.
   */
  @org.junit.jupiter.api.Test
  void aWaveWaitingForAnUnreachableClusterSaysWhichAndWhy() {
    List<ClusterState> clusters = new ArrayList<>();
    for (ClusterState c : fleet("prod", 2)) {
      clusters.add(
          c.name().equals(ODD)
              ? new ClusterState(
                  c.name(),
                  c.labels(),
                  Reachability.Unknown,
                  c.versions(),
                  c.previousVersions(),
                  ClusterConnectivity.AirGapped,
                  null)
              : c);
    }
    RunHarness h = new RunHarness(PlanBuilder.of(ring("prod").withTimeout("30m")), clusters);
    h.plan.getStages().get(0).setMaxWait("40m");
    Set<String> back = new HashSet<>();
    h.agent =
        t ->
            t.cluster().equals(ODD) && !back.contains(ODD)
                ? TargetPhase.Published
                : TargetPhase.Converged;
    EngineResult last = null;
    for (int minute = 0; minute < 10; minute++) {
      last = h.step();
      h.publish();
      h.converge();
      h.now = h.now.plus(Duration.ofMinutes(1));
    }
    last = h.step();
    assertThat(h.run.phase()).isEqualTo(RunPhase.Running);
    assertThat(last.message())
        .isEqualTo(
            "waiting for unreachable cluster(s) [prod/"
                + ODD
                + " (cluster "
                + ODD
                + " is AirGapped)] up to their stage's maxWait after publication");
    back.add(ODD); // its evidence imported
    h.converge();
    last = h.step();
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(last.message()).isEqualTo("every stage succeeded");
  }
}
