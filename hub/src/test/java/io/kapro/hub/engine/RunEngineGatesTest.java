package io.kapro.hub.engine;

import static io.kapro.hub.engine.Fixtures.fleet;
import static io.kapro.hub.engine.Fixtures.of;
import static io.kapro.hub.engine.Fixtures.ring;
import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.GateResult;
import io.kapro.api.v1alpha2.GateWhen;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.engine.plan.GateBuilder;
import io.kapro.hub.engine.plan.PlanBuilder;
import io.kapro.hub.gate.WebhookObservation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each gate passing, failing and pending, through the engine. */
class RunEngineGatesTest {

  /** dev (no gate) → prod (gated), one cluster each; runs until prod's Target exists. */
  static RunHarness gated(GateBuilder gate, int prodClusters, String... waves) {
    RunHarness h =
        new RunHarness(
            PlanBuilder.of(
                ring("dev"), ring("prod").withDependsOn("dev").withGates(gate).withWaves(waves)),
            fleet("dev", 1, "prod", prodClusters));
    while (h.inStage("prod").isEmpty()) {
      h.step();
      h.publish();
      h.converge();
    }
    return h;
  }

  @Test
  void approvalPendingHoldsTheStageAndTheRunWaitsForApproval() {
    RunHarness h = gated(GateBuilder.approval("change-board"), 2);
    h.step();
    assertThat(h.inStage("prod"))
        .allSatisfy(
            t -> {
              assertThat(t.phase()).isEqualTo(TargetPhase.Waiting);
              assertThat(t.gates())
                  .singleElement()
                  .satisfies(g -> assertThat(g.verdict()).isEqualTo(GateResult.Pending));
              assertThat(t.message())
                  .isEqualTo(
                      "gate change-board: waiting for an Approval of the run, the stage or the Target");
            });
    assertThat(h.run.phase()).isEqualTo(RunPhase.WaitingForApproval);
    assertThat(h.stagePhase("prod")).isEqualTo(StagePhase.Waiting);
    assertThat(h.decide().decisions()).as("idempotent while waiting").isEmpty();
    h.approve("yes", "dev", null); // another stage's approval does not count
    assertThat(h.decide().decisions()).isEmpty();
  }

  @ParameterizedTest(name = "approval at {0} scope")
  @CsvSource({"run, , ", "stage, prod, ", "target, prod, prod-0000"})
  void approvalPasses(String scope, String stage, String cluster) {
    RunHarness h = gated(GateBuilder.approval("change-board"), 1);
    h.step();
    h.approve("ok-" + scope, stage, cluster);
    EngineResult r = h.step();
    assertThat(of(r, EngineDecision.MarkEligible.class))
        .singleElement()
        .satisfies(
            m ->
                assertThat(m.gates().get(0).message())
                    .startsWith("approved by alice (Approval ok-" + scope + ")"));
    assertThat(h.run.phase()).isEqualTo(RunPhase.Running);
    h.runToEnd(10);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
  }

  @Test
  void rejectionFailsTheGateEvenWithAnApprovalAround() {
    RunHarness h = gated(GateBuilder.approval("change-board"), 2);
    h.approve("yes", null, null);
    h.reject("no", "prod", null);
    EngineResult r = h.step();
    assertThat(of(r, EngineDecision.FailTarget.class))
        .hasSize(2)
        .allSatisfy(
            f -> {
              assertThat(f.reason()).isEqualTo("GateFailed");
              assertThat(f.message())
                  .isEqualTo("gate change-board failed: rejected by bob (Approval no): not today");
            });
    assertThat(h.stagePhase("prod")).isEqualTo(StagePhase.Failed);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Halted);
  }

  @Test
  void soakGateHoldsEachWaveUntilThePreviousOneSoaked() {
    RunHarness h =
        gated(GateBuilder.soak("bake", "10m").when(GateWhen.BeforeEachWave), 2, "1", "100%");
    EngineResult first = h.step();
    // Wave 1 soaks from the stage's unlock (dev converged at T0), so it waits 10 minutes too.
    assertThat(of(first, EngineDecision.HoldTarget.class)).hasSize(1);
    assertThat(first.wakeAt()).isEqualTo(RunHarness.T0.plus(Duration.ofMinutes(10)));
    h.now = first.wakeAt();
    assertThat(of(h.step(), EngineDecision.MarkEligible.class)).hasSize(1);
    h.publish();
    h.converge(); // wave 1 converged at T0+10m
    h.now = h.now.plus(Duration.ofMinutes(1));
    assertThat(Fixtures.creates(h.step())).isEqualTo(1); // wave 2 opens
    EngineResult held = h.step();
    assertThat(of(held, EngineDecision.HoldTarget.class))
        .singleElement()
        .satisfies(
            x ->
                assertThat(x.message())
                    .contains("until " + RunHarness.T0.plus(Duration.ofMinutes(20))));
    h.now = RunHarness.T0.plus(Duration.ofMinutes(20));
    assertThat(of(h.step(), EngineDecision.MarkEligible.class)).hasSize(1);
  }

  @Test
  void healthGatePassesWhenTheEarlierTargetsConvergedAndFailsWhenOneDegraded() {
    RunHarness ok =
        gated(GateBuilder.health("healthy").when(GateWhen.BeforeEachWave), 3, "1", "100%");
    ok.runToEnd(20);
    assertThat(ok.run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(ok.inStage("prod"))
        .allSatisfy(t -> assertThat(t.gates().get(0).verdict()).isEqualTo(GateResult.Passed));

    RunHarness bad =
        new RunHarness(
            PlanBuilder.of(
                ring("prod")
                    .withWaves("1", "100%")
                    .withMaxUnavailable("1")
                    .withGates(GateBuilder.health("healthy").when(GateWhen.BeforeEachWave))),
            fleet("prod", 3));
    bad.agent = t -> t.wave() == 1 ? TargetPhase.Degraded : TargetPhase.Converged;
    bad.runToEnd(20);
    assertThat(bad.run.phase()).isEqualTo(RunPhase.Halted);
    assertThat(bad.stages.get("prod").message())
        .contains("gate healthy failed: 1 earlier Target(s) Degraded or Failed");
    assertThat(bad.count("prod", TargetPhase.Failed)).isEqualTo(2);
  }

  /** The agent reports a regression of a Converged Target (evidence moves it to Degraded). */
  static void regress(RunHarness h, String stage, String cluster, String message) {
    TargetKey key = new TargetKey(stage, cluster);
    TargetState t = h.targets.get(key);
    h.targets.put(
        key,
        new TargetState(
            t.stage(),
            t.cluster(),
            t.wave(),
            TargetPhase.Degraded,
            h.now,
            t.publishedAt(),
            t.rollback(),
            t.gates(),
            message));
  }

  static final String UPSTREAM =
      "evidence #7 (bundle seq-1): app Degraded (Ready=False (TestFailed): Helm test failed)";

  @Test
  void aCanaryThatRegressesDuringTheSoakFailsTheSoakGateNamingClusterUnitAndUpstreamReason() {
    RunHarness h = gated(GateBuilder.soak("bake", "10m"), 2);
    EngineResult held = h.step();
    assertThat(of(held, EngineDecision.HoldTarget.class)).hasSize(2);
    h.now = h.now.plus(Duration.ofMinutes(4));
    regress(h, "dev", h.inStage("dev").getFirst().cluster(), UPSTREAM);
    h.runToEnd(5);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Halted);
    assertThat(h.stages.get("prod").message())
        .contains("gate bake failed: 1 Target(s) regressed during the soak")
        .contains("cluster " + h.inStage("dev").getFirst().cluster() + ": " + UPSTREAM)
        .contains("(onFailure: Halt)");
    assertThat(h.count("prod", TargetPhase.Failed)).isEqualTo(2);
    assertThat(h.inStage("prod")).allSatisfy(t -> assertThat(t.message()).contains("TestFailed"));
  }

  @Test
  void aRegressionDuringTheSoakFollowsTheStagePolicySkip() {
    RunHarness h =
        new RunHarness(
            PlanBuilder.of(
                ring("dev"),
                ring("prod")
                    .withDependsOn("dev")
                    .withGates(GateBuilder.soak("bake", "10m"))
                    .withOnFailure(io.kapro.api.v1alpha2.OnFailure.Skip),
                ring("edge").withDependsOn("dev")),
            fleet("dev", 1, "prod", 1, "edge", 1));
    while (h.inStage("prod").isEmpty()) {
      h.step();
      h.publish();
      h.converge();
    }
    h.step();
    regress(h, "dev", h.inStage("dev").getFirst().cluster(), UPSTREAM);
    h.runToEnd(10);
    assertThat(h.stagePhase("prod")).isEqualTo(StagePhase.Skipped);
    assertThat(h.stages.get("prod").message())
        .contains("cluster " + h.inStage("dev").getFirst().cluster() + ": " + UPSTREAM);
  }

  @Test
  void healthGateNamesTheUnhealthyClusterAndWhatItsAgentReported() {
    RunHarness h = gated(GateBuilder.health("healthy"), 1);
    regress(h, "dev", h.inStage("dev").getFirst().cluster(), UPSTREAM);
    h.runToEnd(3);
    assertThat(h.stages.get("prod").message())
        .contains("gate healthy failed: 1 earlier Target(s) Degraded or Failed: cluster dev-0000: ")
        .contains("TestFailed");
  }

  @Test
  void healthGateIsPendingWhileAnEarlierTargetIsNotConverged() {
    // Wave 1 is done (Degraded counts as done) but then recovers only later: the gate waits.
    RunHarness h =
        new RunHarness(
            PlanBuilder.of(
                ring("a"), ring("b").withDependsOn("a").withGates(GateBuilder.health("healthy"))),
            fleet("a", 1, "b", 1));
    h.runToEnd(3);
    while (h.inStage("b").isEmpty()) {
      h.step();
    }
    // Upstream Target drifts back to Progressing (agent re-applies): the gate waits.
    TargetState a = h.targets.values().iterator().next();
    h.targets.put(
        a.key(),
        new TargetState(
            a.stage(),
            a.cluster(),
            a.wave(),
            TargetPhase.Progressing,
            h.now,
            a.publishedAt(),
            false,
            a.gates(),
            null));
    h.step();
    assertThat(h.inStage("b").get(0).message())
        .isEqualTo("gate healthy: 1 earlier Target(s) not Converged yet");
    assertThat(h.inStage("b").get(0).phase()).isEqualTo(TargetPhase.Waiting);
  }

  @ParameterizedTest(name = "window {0}-{1} on {2} → {3}")
  @CsvSource({
    "09:00, 17:00, Mon, Passed",
    "11:00, 17:00, Mon, Pending",
    "09:00, 17:00, Sat, Pending",
    "22:00, 10:30, Sun, Passed"
  })
  void timeWindowGate(String start, String end, String day, GateResult expected) {
    var window =
        new GateBuilder.TimeWindowSpec(
            "UTC", List.of(new GateBuilder.WindowSpec(List.of(day), start, end)), List.of());
    RunHarness h = gated(GateBuilder.timeWindow("hours", window), 1);
    EngineResult r = h.step();
    if (expected == GateResult.Passed) {
      assertThat(of(r, EngineDecision.MarkEligible.class)).hasSize(1);
    } else {
      assertThat(of(r, EngineDecision.HoldTarget.class))
          .singleElement()
          .satisfies(x -> assertThat(x.message()).contains("outside the allow windows"));
      assertThat(r.wakeAt()).isAfter(h.now);
      assertThat(h.run.phase()).isEqualTo(RunPhase.Running);
    }
  }

  @Test
  void denyWindowHoldsUntilItCloses() {
    var window =
        new GateBuilder.TimeWindowSpec(
            "Europe/Berlin",
            List.of(),
            List.of(new GateBuilder.WindowSpec(List.of("Monday"), "10:00", "12:00")));
    RunHarness h = gated(GateBuilder.timeWindow("freeze", window), 1); // T0 = Monday 11:00 Berlin
    assertThat(of(h.step(), EngineDecision.HoldTarget.class)).hasSize(1);
    h.now = RunHarness.T0.plus(Duration.ofHours(1)); // 12:00 Berlin
    assertThat(of(h.step(), EngineDecision.MarkEligible.class)).hasSize(1);
  }

  @ParameterizedTest(name = "webhook answers pass={0}")
  @CsvSource({"true", "false"})
  void webhookGateAsksOnceAndConsumesTheAnswer(boolean pass) {
    var hook = new GateBuilder.WebhookSpec("https://checks.example/gate", "5s", null);
    RunHarness h = gated(GateBuilder.webhook("slo", hook), 2);
    EngineResult pending = h.step();
    assertThat(of(pending, EngineDecision.CallWebhook.class))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.request().stage()).isEqualTo("prod");
              assertThat(c.request().wave()).isEqualTo(1);
              assertThat(c.request().clusters()).containsExactly("prod-0000", "prod-0001");
              assertThat(c.request().units()).containsEntry("app", "2.0.0");
              assertThat(c.gate().url()).isEqualTo("https://checks.example/gate");
            });
    assertThat(of(pending, EngineDecision.HoldTarget.class)).hasSize(2);
    h.webhooks.add(
        new WebhookObservation(
            "prod", 1, "slo", pass, pass ? "webhook passed" : "webhook said no", h.now));
    EngineResult answered = h.step();
    assertThat(of(answered, EngineDecision.CallWebhook.class)).isEmpty();
    if (pass) {
      assertThat(of(answered, EngineDecision.MarkEligible.class)).hasSize(2);
    } else {
      assertThat(of(answered, EngineDecision.FailTarget.class))
          .hasSize(2)
          .allSatisfy(f -> assertThat(f.message()).isEqualTo("gate slo failed: webhook said no"));
      assertThat(h.run.phase()).isEqualTo(RunPhase.Halted);
    }
  }

  @Test
  void beforeStageGatesHoldOnlyTheFirstWave() {
    RunHarness h =
        new RunHarness(
            PlanBuilder.of(
                ring("prod").withWaves("1", "100%").withGates(GateBuilder.approval("go"))),
            fleet("prod", 3));
    h.approve("go", "prod", "prod-0000"); // approves only the first Target
    h.runToEnd(20);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(h.inStage("prod").stream().filter(t -> t.wave() == 2))
        .allMatch(t -> t.gates().isEmpty());
  }
}
