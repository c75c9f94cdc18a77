package io.kapro.e2e.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What watching the managed objects after convergence costs an idle agent (issue 17): two agent
 * JVMs side by side, each in its own world (registry, mock API server with 49 HelmReleases and one
 * Application, fake Flux and Argo CD controllers, hub stand-in), each with one converged bundle
 * managing those 50 objects, idle for the same period at a 30 s poll and 30 s heartbeats. "before"
 * runs with {@code -Dkapro.agent.objectWatch=false} (the agent stops looking once every unit
 * settled, as before issue 17), "after" as shipped (one watch per kind and namespace: one informer
 * for the 49 HelmReleases, one by name for the Application). Besides process CPU, it records each
 * thread's CPU ticks over the idle period (less sensitive to a loaded machine). Not a test: runs
 * with {@code -Pbench} and writes the section of docs/benchmarks.md. The idle period is {@code
 * -Dkapro.bench.idle} (Go duration, default 10m).
 */
class AgentWatchBenchIT {
  static final String BEGIN = "<!-- issue-17:begin -->";
  static final String END = "<!-- issue-17:end -->";
  static final int HELM_RELEASES = 49;
  static final String COMMAND =
      "./mvnw -B -ntp -Pbench -pl e2e -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dit.test=AgentWatchBenchIT -Dfailsafe.failIfNoSpecifiedTests=false";

  @TempDir Path dir;

  @Test
  @Tag("bench")
  void fiftyWatchedObjectsIdleBeforeAndAfter() throws Exception {
    Duration idle =
        io.fabric8.kubernetes.api.model.Duration.parse(
                System.getProperty("kapro.bench.idle", "10m"))
            .getDuration();
    Map<String, List<String>> variants = new LinkedHashMap<>();
    List<String> before = new ArrayList<>(AgentProcess.JVM_FLAGS);
    before.add("-Dkapro.agent.objectWatch=false");
    variants.put("before", before);
    variants.put("after", AgentProcess.JVM_FLAGS);
    Map<String, Map<String, Object>> figures = new LinkedHashMap<>();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      Map<String, java.util.concurrent.Future<Map<String, Object>>> running = new LinkedHashMap<>();
      for (var v : variants.entrySet()) {
        Path d = Files.createDirectories(dir.resolve(v.getKey()));
        running.put(
            v.getKey(),
            pool.submit(
                () ->
                    AgentFootprint.one(
                        d, v.getValue(), idle, "30s", Duration.ofSeconds(30), HELM_RELEASES)));
      }
      for (var e : running.entrySet()) {
        figures.put(e.getKey(), e.getValue().get());
      }
    }
    Map<String, Object> out = new LinkedHashMap<>(figures);
    out.put("cpus", Runtime.getRuntime().availableProcessors());
    out.put("date", Instant.now().toString());
    Path docs = AgentIdleBenchIT.docsDir();
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(docs.resolve("benchmarks-agent-watch.json").toFile(), out);
    AgentIdleBenchIT.writeSection(
        docs.resolve("benchmarks.md"),
        BEGIN,
        END,
        section(figures.get("before"), figures.get("after"), out));
  }

  private static String change(Object before, Object after) {
    double b = ((Number) before).doubleValue();
    double a = ((Number) after).doubleValue();
    return b == 0 ? "n/a" : String.format(Locale.ROOT, "%+.1f %%", (a - b) * 100 / b);
  }

  private static String ticks(Object perThread) {
    StringBuilder sb = new StringBuilder();
    ((Map<?, ?>) perThread)
        .forEach(
            (k, v) ->
                sb.append(sb.isEmpty() ? "" : ", ").append('`').append(k).append("` ").append(v));
    return sb.isEmpty() ? "none" : sb.toString();
  }

  private static String section(
      Map<String, Object> b, Map<String, Object> a, Map<String, Object> o) {
    return String.format(
        Locale.ROOT,
        """
        ## Issue 17 — watching the managed objects after convergence

        Two agent JVMs (`%s`) side by side, each in its own world: one converged bundle managing %s \
        objects (%d Flux HelmReleases and one Argo CD Application on the mock API server), a %s poll \
        of the local registry, heartbeats every %d s, then idle for %d s. *before*: \
        `-Dkapro.agent.objectWatch=false`, the agent stops looking once every unit settled (as before \
        issue 17); *after*: as shipped, one watch per kind and namespace (one informer on the 49 \
        HelmReleases' namespace keeping only the managed names, the Application alone by name), \
        judging only when one changes. Goal: the watch raises the idle footprint by at most 5 %%.

        | figure | before | after | change |
        |---|---|---|---|
        | RSS after settling | %s MiB | %s MiB | %s |
        | RSS after the idle period | %s MiB | %s MiB | %s |
        | CPU used during the idle period | %s s | %s s | %s |
        | hub (gRPC) bytes per idle hour | %s | %s | %s |
        | live threads after the idle period | %s | %s | %s |

        CPU ticks (1/100 s) per thread over the idle period (digits in names shown as #):

        - before: %s
        - after: %s

        - machine: %s CPUs visible to the JVM, shared with other builds (both variants run at the \
        same time, so they share its load); date: %s
        - command: `%s` (the idle period is `-Dkapro.bench.idle`, default `10m`)
        - raw figures: [benchmarks-agent-watch.json](benchmarks-agent-watch.json)
        """,
        a.get("jvm"),
        a.get("managedObjects"),
        HELM_RELEASES,
        a.get("pollInterval"),
        a.get("heartbeatSeconds"),
        a.get("idleSeconds"),
        b.get("rssMiBSettled"),
        a.get("rssMiBSettled"),
        change(b.get("rssMiBSettled"), a.get("rssMiBSettled")),
        b.get("rssMiB"),
        a.get("rssMiB"),
        change(b.get("rssMiB"), a.get("rssMiB")),
        b.get("cpuSecondsIdle"),
        a.get("cpuSecondsIdle"),
        change(b.get("cpuSecondsIdle"), a.get("cpuSecondsIdle")),
        b.get("hubBytesPerHour"),
        a.get("hubBytesPerHour"),
        change(b.get("hubBytesPerHour"), a.get("hubBytesPerHour")),
        b.get("threads"),
        a.get("threads"),
        change(b.get("threads"), a.get("threads")),
        ticks(b.get("threadTicksIdle")),
        ticks(a.get("threadTicksIdle")),
        o.get("cpus"),
        o.get("date"),
        COMMAND);
  }
}
