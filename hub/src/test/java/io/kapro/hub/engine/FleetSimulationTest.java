package io.kapro.hub.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.v1alpha2.TargetPhase;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Drives a whole run to completion over an in-memory fleet (500 clusters in CI). */
class FleetSimulationTest {
  static int size() {
    return "large".equals(System.getProperty("kapro.scale")) ? 5000 : 500;
  }

  @Test
  void aWholeFleetRunCompletesWithExactlyOneTargetPerClusterAndStage() {
    FleetSimulation sim = new FleetSimulation(size());
    RunHarness h = sim.h;
    int rounds = 0;
    while (!h.run.phase().terminal() && rounds < 3000) {
      sim.round();
      rounds++;
      for (String stage : new String[] {"prod-eu", "prod-us"}) {
        long inFlight = h.inStage(stage).stream().filter(t -> t.phase().inFlight()).count();
        assertThat(inFlight).as("maxParallel in %s", stage).isLessThanOrEqualTo(50);
      }
    }
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);

    // Every cluster in exactly one stage (no overlap), one Target each; the harness refuses
    // duplicates.
    Set<String> clusters = new HashSet<>();
    h.targets
        .keySet()
        .forEach(k -> assertThat(clusters.add(k.cluster())).as(k.toString()).isTrue());
    assertThat(clusters).hasSize(sim.n);
    Map<String, Long> perStage =
        h.targets.keySet().stream()
            .collect(Collectors.groupingBy(TargetKey::stage, Collectors.counting()));
    assertThat(perStage)
        .containsEntry("canary", (long) sim.n / 100)
        .containsEntry("staging", (long) sim.n * 9 / 100);

    long degraded =
        h.targets.values().stream().filter(t -> t.phase() == TargetPhase.Degraded).count();
    long converged =
        h.targets.values().stream().filter(t -> t.phase() == TargetPhase.Converged).count();
    assertThat(degraded).isPositive();
    assertThat(converged + degraded).isEqualTo(sim.n);
    assertThat(h.targets.values())
        .allSatisfy(t -> assertThat(t.phase()).isIn(TargetPhase.Converged, TargetPhase.Degraded));
    assertThat(h.stages.values())
        .allSatisfy(s -> assertThat(s.phase()).isEqualTo(StagePhase.Succeeded));
    assertThat(h.webhookCalls).extracting(c -> c.request().wave()).containsExactly(1, 2, 3, 4);
    assertThat(h.decide().decisions()).as("nothing left to decide").isEmpty();
    System.out.printf("simulation: %d clusters, %d rounds, %d degraded%n", sim.n, rounds, degraded);
  }
}
