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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22: where the agent's resident memory goes and what JVM settings pay, side by side in one
 * run, each agent against its own registry, API server and gateway with one converged bundle: RSS
 * after the idle period, and a Native Memory Tracking summary (committed KiB per category) from an
 * extra agent run with the chosen flags plus {@code -XX:NativeMemoryTracking=summary} (NMT costs
 * memory itself, so its RSS is not compared). Variants: {@link #VARIANTS}; while exploring, {@code
 * -Dkapro.bench.flagVariants=name=flag flag;name=flag} (names: letters, digits, dashes) replaces
 * them with the chosen flags plus those given each. Idle period: {@code
 * -Dkapro.bench.agentIdleSeconds} (default 600). Not a test: runs with {@code -Pbench}, writes
 * benchmarks-agent-flags.json and the issue-22-flags section of docs/benchmarks.md.
 */
class AgentFlagsBenchIT {
  static final String BEGIN = "<!-- issue-22-flags:begin -->";
  static final String END = "<!-- issue-22-flags:end -->";
  static final String COMMAND =
      "./mvnw -B -ntp -Pbench -pl e2e -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dit.test=AgentFlagsBenchIT -Dfailsafe.failIfNoSpecifiedTests=false";
  static final String NMT = "after-nmt";

  /**
   * Name → the full flag list: "before" the issue-11 flags without native heap trimming, "after"
   * {@link AgentProcess#JVM_FLAGS}, and "after" with NMT for the breakdown.
   */
  static final Map<String, List<String>> VARIANTS = new LinkedHashMap<>();

  static {
    VARIANTS.put(
        "before",
        AgentProcess.JVM_FLAGS.stream()
            .filter(f -> !f.equals(AgentProcess.TRIM_NATIVE_HEAP))
            .toList());
    VARIANTS.put("after", AgentProcess.JVM_FLAGS);
    List<String> nmt = new ArrayList<>(AgentProcess.JVM_FLAGS);
    nmt.add("-XX:NativeMemoryTracking=summary");
    VARIANTS.put(NMT, nmt);
  }

  @TempDir Path dir;

  @Test
  @Tag("bench")
  void flagsSideBySide() throws Exception {
    Duration idle = Duration.ofSeconds(Integer.getInteger("kapro.bench.agentIdleSeconds", 600));
    Map<String, List<String>> flags = variants();
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("date", Instant.now().toString());
    all.put("loadAverageAtStart", AgentStackBenchIT.loadAverage());
    Map<String, Map<String, Object>> figures = new LinkedHashMap<>();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      Map<String, java.util.concurrent.Future<Map<String, Object>>> running = new LinkedHashMap<>();
      for (var v : flags.entrySet()) {
        Path d = Files.createDirectories(dir.resolve(v.getKey()));
        running.put(
            v.getKey(),
            pool.submit(
                () -> AgentFootprint.one(d, v.getValue(), idle, "30s", Duration.ofSeconds(30))));
      }
      for (var e : running.entrySet()) {
        try {
          figures.put(e.getKey(), e.getValue().get());
        } catch (java.util.concurrent.ExecutionException failed) { // reported with the figures
          Map<String, Object> f = new LinkedHashMap<>();
          f.put("error", String.valueOf(failed.getCause()));
          figures.put(e.getKey(), f);
        }
      }
    }
    all.put("loadAverageAtEnd", AgentStackBenchIT.loadAverage());
    for (String name : flags.keySet()) {
      Path nmt = dir.resolve(name).resolve("nmt.txt");
      if (Files.isRegularFile(nmt)) {
        figures.get(name).put("nmtCommittedKiB", nmt(Files.readString(nmt)));
      }
      figures.get(name).put("flags", flags.get(name));
    }
    all.put("variants", figures);
    Path docs = AgentIdleBenchIT.docsDir();
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(docs.resolve("benchmarks-agent-flags.json").toFile(), all);
    AgentIdleBenchIT.writeSection(
        docs.resolve("benchmarks.md"), BEGIN, END, section(all, figures, idle));
  }

  private static Map<String, List<String>> variants() {
    String spec = System.getProperty("kapro.bench.flagVariants", "");
    if (spec.isBlank()) {
      return VARIANTS;
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String v : spec.split(";")) {
      int eq = v.indexOf('=');
      String name = v.substring(0, eq).trim();
      String rest = v.substring(eq + 1).trim();
      List<String> f = new ArrayList<>(AgentProcess.JVM_FLAGS);
      f.addAll(rest.isEmpty() ? List.of() : List.of(rest.split(" +")));
      out.put(name, f);
    }
    return out;
  }

  private static final Pattern CATEGORY =
      Pattern.compile("-\\s+([A-Za-z][A-Za-z ]*?) \\(reserved=\\d+KB, committed=(\\d+)KB");
  private static final Pattern TOTAL =
      Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");

  /** Committed KiB per NMT category of a {@code VM.native_memory summary}, plus "Total". */
  static Map<String, Long> nmt(String summary) {
    Map<String, Long> out = new LinkedHashMap<>();
    Matcher t = TOTAL.matcher(summary);
    if (t.find()) {
      out.put("Total", Long.parseLong(t.group(1)));
    }
    Matcher m = CATEGORY.matcher(summary);
    while (m.find()) {
      out.put(m.group(1).trim(), Long.parseLong(m.group(2)));
    }
    return out;
  }

  private static String section(
      Map<String, Object> all, Map<String, Map<String, Object>> figures, Duration idle) {
    StringBuilder sb = new StringBuilder();
    sb.append("### Issue 22 — JVM settings side by side\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "Each variant is an agent JVM (after: `%s`) in its own"
                + " world (registry, API server, gateway, one converged bundle), all started"
                + " together (%s; load average %s at the start, %s at the end); idle %d s at a 30 s"
                + " poll and 30 s heartbeats. Command: `%s -Dkapro.bench.agentIdleSeconds=%d`; raw"
                + " figures: [benchmarks-agent-flags.json](benchmarks-agent-flags.json).\n\n",
            String.join(" ", AgentProcess.JVM_FLAGS),
            all.get("date"),
            all.get("loadAverageAtStart"),
            all.get("loadAverageAtEnd"),
            idle.toSeconds(),
            COMMAND,
            idle.toSeconds()));
    sb.append("| variant | flags | RSS settled | RSS after idle | CPU total |\n");
    sb.append("|---|---|---|---|---|\n");
    figures.forEach(
        (name, f) ->
            sb.append(
                String.format(
                    Locale.ROOT,
                    "| %s | `%s` | %s MiB | %s MiB | %s s |\n",
                    name,
                    String.join(" ", castList(f.get("flags"))),
                    f.get("rssMiBSettled"),
                    f.get("rssMiB"),
                    f.get("cpuSecondsTotal"))));
    Map<String, Object> nmt = figures.getOrDefault(NMT, Map.of());
    if (nmt.get("nmtCommittedKiB") instanceof Map<?, ?> cats) {
      sb.append("\nNative Memory Tracking, committed after the idle period (").append(NMT);
      sb.append("; RSS counts only the touched part of what is committed, plus libraries):\n\n");
      sb.append("| category | committed |\n|---|---|\n");
      cats.forEach(
          (k, v) ->
              sb.append(
                  String.format(
                      Locale.ROOT, "| %s | %.1f MiB |\n", k, ((Number) v).longValue() / 1024.0)));
    }
    sb.append('\n');
    return sb.toString();
  }

  @SuppressWarnings("unchecked")
  private static List<String> castList(Object o) {
    return (List<String>) o;
  }
}
