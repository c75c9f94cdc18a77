package io.kapro.hub.engine;

import static io.kapro.hub.engine.Fixtures.fleet;
import static io.kapro.hub.engine.Fixtures.of;
import static io.kapro.hub.engine.Fixtures.ring;
import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.engine.plan.PlanBuilder;
import io.kapro.hub.engine.plan.SelectorBuilder;
import io.kapro.hub.engine.plan.StageBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Supersede, one active run per cluster and unit, invalid specs, unreachable clusters. */
class RunEngineSupersedeTest {

  @Test
  void aSupersededRunStopsItsUnfinishedTargets() {
    RunHarness h =
        new RunHarness(PlanBuilder.of(ring("prod").withMaxParallel(2)), fleet("prod", 4));
    h.agent = t -> t.cluster().equals("prod-0000") ? TargetPhase.Converged : TargetPhase.Published;
    for (int i = 0; i < 3; i++) {
      h.step();
      h.publish();
      h.converge();
    }
    h.run =
        new RunState(
            h.run.id(), h.run.units(), h.run.startedAt(), h.run.phase(), true, h.run.stages());
    EngineResult r = h.step();
    assertThat(h.run.phase()).isEqualTo(RunPhase.Superseded);
    assertThat(of(r, EngineDecision.SupersedeTarget.class))
        .extracting(EngineDecision.SupersedeTarget::cluster)
        .containsExactly("prod-0001", "prod-0002", "prod-0003");
    assertThat(h.targets.get(new TargetKey("prod", "prod-0000")).phase())
        .isEqualTo(TargetPhase.Converged);
    assertThat(r.summary()).isEqualTo(new RunCounts(4, 0, 0, 1, 0, 3));
    assertThat(h.decide().decisions()).isEmpty();
  }

  @Test
  void aClusterIsInAtMostOneActiveRunPerUnit() {
    RunHarness h = new RunHarness(PlanBuilder.of(ring("prod")), fleet("prod", 2));
    h.claims.add(new ClusterClaim("prod-0001", "app", "run-0"));
    h.claims.add(new ClusterClaim("prod-0000", "other-unit", "run-0"));
    h.step();
    EngineResult r = h.step();
    assertThat(of(r, EngineDecision.MarkEligible.class))
        .extracting(EngineDecision.MarkEligible::cluster)
        .containsExactly("prod-0000");
    assertThat(of(r, EngineDecision.HoldTarget.class))
        .singleElement()
        .satisfies(
            x ->
                assertThat(x.message())
                    .isEqualTo("cluster prod-0001 is in active run run-0 for unit app"));
    h.claims.clear(); // run-0 was superseded and its Target stopped
    assertThat(of(h.step(), EngineDecision.MarkEligible.class)).hasSize(1);
  }

  @Test
  void overlappingStagesNeverHaveTheSameClusterInFlightTwice() {
    SelectorBuilder all = SelectorBuilder.everything();
    RunHarness h =
        new RunHarness(
            PlanBuilder.of(StageBuilder.named("one", all), StageBuilder.named("two", all))
                .withAllowOverlap(true),
            fleet("x", 3));
    h.agent = t -> TargetPhase.Converged;
    while (!h.run.phase().terminal()) {
      h.step();
      Map<String, Long> inFlight = new java.util.HashMap<>();
      h.targets.values().stream()
          .filter(t -> t.phase().inFlight())
          .forEach(t -> inFlight.merge(t.cluster(), 1L, Long::sum));
      assertThat(inFlight.values()).allMatch(n -> n == 1);
      h.publish();
      h.converge();
    }
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(h.targets).hasSize(6);
  }

  @Test
  void anInvalidPlanFailsTheRunWithInvalidSpecNamingTheField() {
    RunHarness h =
        new RunHarness(
            PlanBuilder.of(ring("a").withDependsOn("b"), ring("b").withDependsOn("a")),
            fleet("a", 1));
    EngineResult r = h.step();
    assertThat(r.decisions().get(0))
        .isInstanceOfSatisfying(
            EngineDecision.RejectSpec.class,
            x ->
                assertThat(x.problems())
                    .singleElement()
                    .satisfies(p -> assertThat(p.path()).isEqualTo("spec.stages[0].dependsOn")));
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);
    assertThat(of(r, EngineDecision.RunTransition.class).get(0).message())
        .startsWith("InvalidSpec: spec.stages[0].dependsOn: dependency cycle a -> b -> a");
    assertThat(h.targets).isEmpty();
    assertThat(h.decide().decisions()).isEmpty();
  }

  @Test
  void overlappingSelectorsAreInvalidUnlessAllowed() {
    RunHarness h =
        new RunHarness(
            PlanBuilder.of(ring("a"), StageBuilder.named("everyone", SelectorBuilder.everything())),
            fleet("a", 2));
    h.step();
    assertThat(h.rejected)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("spec.stages[1].selector");
              assertThat(p.message())
                  .contains("2 cluster(s) also matched by stage \"a\" (a-0000, a-0001)");
            });
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);
  }

  @Test
  void underUnreachableFailALostClusterWaitsUntilTheTimeoutThenFails() {
    List<ClusterState> clusters =
        List.of(
            new ClusterState(
                "prod-0000",
                Map.of("ring", "prod"),
                Reachability.Connected,
                Map.of("app", "1.0.0"),
                Map.of()),
            new ClusterState(
                "prod-0001",
                Map.of("ring", "prod"),
                Reachability.Connected,
                Map.of("app", "1.0.0"),
                Map.of()));
    RunHarness h = new RunHarness(PlanBuilder.of(ring("prod").withTimeout("30m")), clusters);
    h.plan.getStages().get(0).setUnreachable(io.kapro.api.v1alpha2.Unreachable.Fail);
    h.agent = t -> t.cluster().equals("prod-0000") ? TargetPhase.Published : TargetPhase.Converged;
    h.step();
    h.step();
    h.publish();
    h.converge();
    h.clusters.put(
        "prod-0000", h.clusters.get("prod-0000").withConnectivity(Reachability.Unknown, null));
    var published = h.now;
    h.now = published.plus(Duration.ofMinutes(29));
    EngineResult waiting = h.step();
    assertThat(of(waiting, EngineDecision.FailTarget.class)).isEmpty();
    assertThat(waiting.wakeAt()).isEqualTo(published.plus(Duration.ofMinutes(30)));
    assertThat(h.run.phase()).isEqualTo(RunPhase.Running);
    h.now = waiting.wakeAt();
    EngineResult timedOut = h.step();
    assertThat(of(timedOut, EngineDecision.FailTarget.class))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo("TimedOut");
              assertThat(f.message())
                  .isEqualTo(
                      "not Converged within PT30M of publication; cluster Connected=Unknown");
            });
    assertThat(h.run.phase()).isEqualTo(RunPhase.Halted);
  }
}
