package io.kapro.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.e2e.agent.AgentFootprint;
import io.kapro.e2e.agent.AgentProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet benchmarks of issues 11 and 21 at default sizes ({@code scripts/bench}): publish
 * fan-out, evidence ingestion and propagation on one hub with 1,000 connected agents ({@link
 * FleetRun}); the idle cluster-hour counted ({@link IdleHour}); the local API server at 100 and
 * 20,000 objects ({@link LocalApiBench}); the hub in its own process with 10,000 Clusters and
 * 10,000 connected agents of the load generator ({@link HubStreams}); the hub's footprint with
 * 10,000 Clusters and Targets ({@link HubScale}) while the agent's footprint is measured alongside
 * ({@link AgentFootprint}). Each part's duration is printed and kept under {@code partSeconds}.
 * Figures go to {@code target/benchmarks/fleet.json}; with {@code -Dkapro.bench.writeDocs=true}
 * also to docs/benchmarks-fleet.json and the issue-11 section of docs/benchmarks.md.
 */
@Tag("bench")
class FleetBenchIT {
  static final String COMMAND = "scripts/bench";

  @TempDir Path dir;

  private final Map<String, Object> all =
      java.util.Collections.synchronizedMap(new LinkedHashMap<>());

  @Test
  void allFive() throws Exception {
    BenchSizes sizes = BenchSizes.fromProperties();
    all.put("date", Instant.now().toString());
    all.put("command", COMMAND);
    all.put("machine", Machine.describe());
    all.put("loadAverageAtStart", Machine.loadAverage());
    long t0 = System.nanoTime();
    Map<String, Object> parts = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    all.put("partSeconds", parts);
    Map<String, Object> fleet =
        part(parts, "fleet (fan-out, propagation, ingestion)", () -> FleetRun.run(sizes.fleet()));
    all.put("fleet", fleet);
    all.put(
        "localApi",
        part(
            parts,
            "local API server",
            () ->
                LocalApiBench.run(100, Integer.getInteger("kapro.bench.localApiObjects", 20_000))));
    all.put("loadAverageAfterFleet", Machine.loadAverage());
    try (ExecutorService side = Executors.newVirtualThreadPerTaskExecutor()) {
      // alongside the hub at scale: the agent's footprint (its own processes, RSS and CPU
      // seconds), and one idle hour counted (request counts do not depend on the load)
      Future<Map<String, Map<String, Object>>> agent =
          side.submit(
              () ->
                  part(
                      parts,
                      "agent footprint",
                      () ->
                          AgentFootprint.measureStacks(
                              Files.createDirectories(dir.resolve("agent")),
                              stacks(),
                              sizes.agentIdle(),
                              "30s",
                              java.time.Duration.ofSeconds(30))));
      Future<Map<String, Object>> idle =
          side.submit(
              () ->
                  part(
                      parts,
                      "idle hour counted, " + sizes.idleClusters() + " clusters",
                      () -> IdleHour.measure(sizes.idleClusters())));
      Map<String, Object> streams =
          part(
              parts,
              "hub with "
                  + sizes.hubClusters()
                  + " Clusters and Targets, then "
                  + sizes.streams()
                  + " streams",
              () ->
                  HubStreams.run(
                      Files.createDirectories(dir.resolve("streams")),
                      sizes.hubClusters(),
                      true,
                      sizes.hubIdle(),
                      sizes.streams(),
                      sizes.heartbeat(),
                      sizes.streamIdle(),
                      sizes.ingest()));
      all.put("hub", streams.remove("hub"));
      all.put("loadGenerator", streams.remove("loadGenerator"));
      all.put("streams", streams);
      all.put("loadAverageAfterStreams", Machine.loadAverage());
      all.put("agent", agent.get());
      fleet.put("idle", idle.get());
    }
    all.put("loadAverageAtEnd", Machine.loadAverage());
    all.put("totalSeconds", Stats.round((System.nanoTime() - t0) / 1e9));
    Figures.writeTarget("fleet.json", all);
    if (Boolean.getBoolean("kapro.bench.writeDocs")) {
      BenchReport.write(docsDir(), all);
    }
    assertThat(all).containsKeys("fleet", "hub", "agent");
  }

  /**
   * Runs one part, prints and records how long it took; the figures so far go to {@code
   * target/benchmarks/fleet-partial.json} after each part (what a stopped run leaves).
   */
  <T> T part(Map<String, Object> parts, String name, java.util.concurrent.Callable<T> body)
      throws Exception {
    long p0 = System.nanoTime();
    System.err.printf("kapro bench: %s ...%n", name);
    try {
      return body.call();
    } finally {
      double s = Stats.round((System.nanoTime() - p0) / 1e9);
      parts.put(name, s);
      System.err.printf(
          "kapro bench: %s took %s s (load average %s)%n", name, s, Machine.loadAverage());
    }
  }

  /**
   * The agent as shipped and, when {@code -Dkapro.bench.agentBuilds} names builds of other commits,
   * the first of them as "before" (AgentStackBenchIT measures every step between them).
   */
  static Map<String, AgentFootprint.Stack> stacks() throws Exception {
    Map<String, AgentFootprint.Stack> all = AgentFootprint.stacks();
    Map<String, AgentFootprint.Stack> v = new LinkedHashMap<>();
    String baseline = AgentFootprint.baseline(all);
    if (baseline != null) {
      v.put("before", all.get(baseline));
    }
    v.put("after", all.get(AgentFootprint.AFTER));
    return v;
  }

  /** The flag sets of issue 11 (old and chosen), on the agent's classpath: the CI smoke run. */
  static Map<String, List<String>> variants() {
    Map<String, List<String>> v = new LinkedHashMap<>();
    v.put("before", AgentProcess.OLD_JVM_FLAGS);
    v.put("after", AgentProcess.JVM_FLAGS);
    return v;
  }

  static Path docsDir() throws java.io.IOException {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new java.io.IOException(
          "cannot find the repository root above " + Path.of("").toAbsolutePath());
    }
    return Files.createDirectories(p.resolve("docs"));
  }
}
