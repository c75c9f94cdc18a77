package io.kapro.hub.engine;

import static io.kapro.hub.engine.Fixtures.fleet;
import static io.kapro.hub.engine.Fixtures.ring;
import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.engine.plan.PlanBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Waves by count and percentage, maxParallel and maxUnavailable, through the engine. */
class RunEngineWavesTest {

  static Stream<Arguments> waves() {
    String[] canary = {"1", "10%", "50%", "100%"};
    String[] counts = {"1", "5", "20", "100%"};
    return Stream.of(
        Arguments.of(canary, 1, List.of(1)),
        Arguments.of(canary, 3, List.of(1, 1, 1)),
        Arguments.of(canary, 10, List.of(1, 1, 3, 5)),
        Arguments.of(canary, 1000, List.of(1, 99, 400, 500)),
        Arguments.of(counts, 1, List.of(1)),
        Arguments.of(counts, 3, List.of(1, 2)),
        Arguments.of(counts, 10, List.of(1, 4, 5)),
        Arguments.of(counts, 1000, List.of(1, 4, 15, 980)));
  }

  @ParameterizedTest(name = "{0} on {1} clusters → waves of {2}")
  @MethodSource("waves")
  void wavesOpenOneAfterAnother(String[] waves, int clusters, List<Integer> sizes) {
    RunHarness h =
        new RunHarness(PlanBuilder.of(ring("prod").withWaves(waves)), fleet("prod", clusters));
    List<Integer> opened = new ArrayList<>();
    while (!h.run.phase().terminal()) {
      long created = Fixtures.creates(h.step());
      if (created > 0) {
        opened.add((int) created);
        // Every Target of the new wave carries its wave number; earlier waves are all done.
        int wave = opened.size();
        assertThat(h.inStage("prod").stream().filter(t -> t.wave() == wave)).hasSize((int) created);
        assertThat(h.inStage("prod").stream().filter(t -> t.wave() < wave))
            .allMatch(t -> t.phase() == TargetPhase.Converged);
        assertThat(h.stages.get("prod").currentWave()).isEqualTo(wave);
      }
      h.publish();
      h.converge();
    }
    assertThat(opened).containsExactlyElementsOf(sizes);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(h.targets).hasSize(clusters);
  }

  @ParameterizedTest(name = "maxParallel {0} over {1} clusters")
  @CsvSource({"1, 5", "3, 20", "7, 7", "50, 1000"})
  void maxParallelBoundsTargetsInFlight(int maxParallel, int clusters) {
    RunHarness h =
        new RunHarness(
            PlanBuilder.of(ring("prod").withMaxParallel(maxParallel)), fleet("prod", clusters));
    // A slow agent: a Target converges only on the step after it was published.
    Set<TargetKey> seen = new java.util.HashSet<>();
    h.agent = t -> seen.add(t.key()) ? TargetPhase.Published : TargetPhase.Converged;
    h.runToEnd(10_000);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(h.maxInFlightSeen).isEqualTo(Math.min(maxParallel, clusters));
    assertThat(h.audit).noneMatch(a -> a.event().equals("StageFailure"));
  }

  @ParameterizedTest(name = "maxUnavailable {0} with 2 of 10 failing → {1}")
  @CsvSource({
    "0, Halted",
    "1, Halted",
    "2, Succeeded",
    "10%, Halted",
    "20%, Succeeded",
    "25%, Succeeded"
  })
  void maxUnavailableStopsTheStage(String maxUnavailable, RunPhase expected) {
    RunHarness h =
        new RunHarness(
            PlanBuilder.of(
                ring("prod").withMaxUnavailable(maxUnavailable).withWaves("5", "100%"),
                ring("after").withDependsOn("prod")),
            fleet("prod", 10, "after", 1));
    h.agent =
        t ->
            t.cluster().endsWith("0001") || t.cluster().endsWith("0002")
                ? TargetPhase.Failed
                : TargetPhase.Converged;
    h.runToEnd(100);
    assertThat(h.run.phase()).isEqualTo(expected);
    if (expected == RunPhase.Halted) {
      assertThat(h.stagePhase("prod")).isEqualTo(StagePhase.Failed);
      assertThat(h.stages.get("prod").message())
          .contains("more than maxUnavailable " + maxUnavailable);
      assertThat(h.inStage("prod")).as("the second wave never opened").hasSize(5);
      assertThat(h.inStage("after")).isEmpty();
    } else {
      assertThat(h.count("prod", TargetPhase.Failed)).isEqualTo(2);
      assertThat(h.count("after", TargetPhase.Converged)).isEqualTo(1);
    }
  }

  @org.junit.jupiter.api.Test
  void degradedCountsAsUnavailableToo() {
    RunHarness h = new RunHarness(PlanBuilder.of(ring("prod")), fleet("prod", 3));
    h.agent = t -> t.cluster().endsWith("0000") ? TargetPhase.Degraded : TargetPhase.Converged;
    h.runToEnd(20);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Halted);
    assertThat(h.stages.get("prod").message())
        .startsWith("1 Target(s) Degraded, Failed or unreachable past maxWait");
  }
}
