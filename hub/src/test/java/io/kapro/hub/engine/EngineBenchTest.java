package io.kapro.hub.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How long one engine step takes on a big fleet. The bench size (10,000 clusters) runs with {@code
 * -Pbench}; CI runs a smoke size so the code path stays exercised. Figures go to stdout and to
 * {@code target/benchmarks/engine-decide.txt}; no timing is asserted.
 */
class EngineBenchTest {

  @Test
  void smoke() throws IOException {
    measure(200, 3);
  }

  @Test
  @Tag("bench")
  void tenThousandClusters() throws IOException {
    measure(10_000, 200);
  }

  private static void measure(int clusters, int samples) throws IOException {
    FleetSimulation sim = new FleetSimulation(clusters);
    String first = time("first step (no Targets yet)", sim.h.input(), samples);
    // Advance to the middle of prod: the 50% wave is open, thousands of Targets exist.
    int rounds = 0;
    while (!sim.h.run.phase().terminal() && prodWave(sim) < 3 && rounds < 2000) {
      sim.round();
      rounds++;
    }
    assertThat(prodWave(sim)).isEqualTo(3);
    // The state right after the wave opened: this step evaluates every new Target's gates.
    EngineInput mid = sim.h.input();
    String middle =
        time(
            "mid-run step, prod 50% wave just opened (" + mid.targets().size() + " Targets)",
            mid,
            samples);
    String flat = flat(clusters, samples);
    String report =
        String.format(
            "engine decide, %,d clusters, %d samples each:%n  %s%n  %s%n  %s%n",
            clusters, samples, first, middle, flat);
    System.out.print(report);
    Path out = Path.of("target", "benchmarks", "engine-decide-" + clusters + ".txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report);
  }

  /** Worst case: one stage, one wave, every cluster's Target evaluated in the same step. */
  private static String flat(int clusters, int samples) {
    RunHarness h =
        new RunHarness(
            io.kapro.hub.engine.plan.PlanBuilder.of(Fixtures.ring("all").withMaxParallel(500)),
            RunHarness.clusters("ring", "all", clusters));
    h.step(); // creates every Target
    return time("one stage of " + clusters + " new Targets, maxParallel 500", h.input(), samples);
  }

  private static int prodWave(FleetSimulation sim) {
    StageProgress p = sim.h.stages.get("prod-eu");
    return p == null ? 0 : p.currentWave();
  }

  private static String time(String label, EngineInput input, int samples) {
    for (int i = 0; i < Math.min(10, samples); i++) {
      RunEngine.decide(input); // warm-up
    }
    // CPU time of this thread as well as wall time: on a shared, loaded machine the thread's own
    // CPU time is the figure that compares across runs
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    List<Long> nanos = new ArrayList<>();
    List<Long> cpu = new ArrayList<>();
    int decisions = 0;
    for (int i = 0; i < samples; i++) {
      long start = System.nanoTime();
      long startCpu = threads.getCurrentThreadCpuTime();
      decisions = RunEngine.decide(input).decisions().size();
      cpu.add(threads.getCurrentThreadCpuTime() - startCpu);
      nanos.add(System.nanoTime() - start);
    }
    nanos.sort(null);
    cpu.sort(null);
    return String.format(
        "%s: median %.1f ms, p90 %.1f ms, max %.1f ms; thread CPU min %.1f ms, median %.1f ms"
            + " (%d decisions)",
        label,
        nanos.get(nanos.size() / 2) / 1e6,
        nanos.get((int) (nanos.size() * 0.9)) / 1e6,
        nanos.get(nanos.size() - 1) / 1e6,
        cpu.get(0) / 1e6,
        cpu.get(cpu.size() / 2) / 1e6,
        decisions);
  }
}
