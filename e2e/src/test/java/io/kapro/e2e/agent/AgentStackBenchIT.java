package io.kapro.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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
 * Issue 22: the agent's footprint per stack change, all stacks side by side in one run, each
 * against its own registry, API server and gateway — classes loaded, RSS after the idle period, the
 * RSS peak while a 1 MiB bundle is applied and while the agent reconnects, start-up to first poll
 * against a bare-JVM hello world of the same run. Writes the issue-22 section of docs/benchmarks.md
 * and the {@code agent} figures of docs/benchmarks-fleet.json. Idle period: {@code
 * -Dkapro.bench.agentIdleSeconds} (600 for the ten minutes).
 */
@Tag("bench")
class AgentStackBenchIT {
  static final String BEGIN = "<!-- issue-22:begin -->";
  static final String END = "<!-- issue-22:end -->";
  static final String COMMAND = "scripts/bench-agent \"LABEL=COMMIT\" …";

  @TempDir Path dir;

  @Test
  void eachStackChangeSideBySide() throws Exception {
    Duration idle = Duration.ofSeconds(Integer.getInteger("kapro.bench.agentIdleSeconds", 600));
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("date", Instant.now().toString());
    all.put("loadAverageAtStart", loadAverage());
    String builds = System.getProperty(AgentFootprint.BUILDS, "");
    if (!builds.isBlank()) {
      all.put("builds", builds);
    }
    Map<String, Map<String, Object>> figures =
        AgentFootprint.measureStacks(
            dir, AgentFootprint.stacks(), idle, "30s", Duration.ofSeconds(30));
    all.put("stacks", figures);
    all.put("loadAverageAtEnd", loadAverage());
    Path docs = AgentIdleBenchIT.docsDir();
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(docs.resolve("benchmarks-agent-stacks.json").toFile(), all);
    updateFleetJson(docs.resolve("benchmarks-fleet.json"), figures);
    AgentIdleBenchIT.writeSection(
        docs.resolve("benchmarks.md"), BEGIN, END, section(all, figures, idle));
    assertThat(figures.get(AgentFootprint.AFTER)).containsKeys("classesLoaded", "rssMiBPeakApply");
  }

  /** agent.before / agent.after of the fleet benchmark's JSON become the stacks' figures. */
  static void updateFleetJson(Path file, Map<String, Map<String, Object>> figures)
      throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root =
        Files.exists(file) ? (ObjectNode) json.readTree(file.toFile()) : json.createObjectNode();
    ObjectNode agent = root.putObject("agent");
    String baseline = AgentFootprint.baseline(figures);
    if (baseline != null) {
      agent.set("before", json.valueToTree(figures.get(baseline)));
      agent.put("beforeStack", baseline);
    }
    agent.set("after", json.valueToTree(figures.get(AgentFootprint.AFTER)));
    agent.put("source", "AgentStackBenchIT (issue 22); see benchmarks-agent-stacks.json");
    json.writeValue(file.toFile(), root);
  }

  static String section(
      Map<String, Object> all, Map<String, Map<String, Object>> figures, Duration idle) {
    List<String> names = new ArrayList<>(figures.keySet());
    StringBuilder sb = new StringBuilder();
    sb.append("### Issue 22 — the agent's stack, one change at a time\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "Each column is an agent build or a flag variant (%s; load average %s at the start,"
                + " %s at the end), each `AgentMain` in its own JVM on its own runtime classpath as"
                + " the image ships it, against its own registry, API server and gateway. The"
                + " columns start one after another (each world and agent from its start until the"
                + " agent has settled, so no two start-ups share the two cores), then idle"
                + " together. Builds of other commits are checked out and built by"
                + " `scripts/bench-agent` (%s). Flags, unless a column says otherwise: `%s`. Idle"
                + " period: %d s at a 30 s poll and 30 s heartbeats. The 1 MiB bundle sets one"
                + " HelmRelease field 950 times with a 1,000-character version (just under the"
                + " agent's 1 MiB payload limit); its peak is VmHWM from its publication to the hub"
                + " knowing it converged. The reconnect peak is VmHWM from the hub's restart to the"
                + " agent's hello and one heartbeat. Start-up is the launch-to-first-poll time"
                + " (enrollment included) divided by a bare JVM printing hello with the same flags,"
                + " started right before (median of three). Command: `%s`; raw figures:"
                + " [benchmarks-agent-stacks.json](benchmarks-agent-stacks.json).\n\n",
            all.get("date"),
            all.get("loadAverageAtStart"),
            all.get("loadAverageAtEnd"),
            all.getOrDefault("builds", "none"),
            String.join(" ", AgentProcess.JVM_FLAGS),
            idle.toSeconds(),
            COMMAND));
    sb.append("| figure |");
    names.forEach(n -> sb.append(' ').append(n).append(" |"));
    sb.append("\n|---|");
    names.forEach(n -> sb.append("---|"));
    sb.append('\n');
    sb.append("| JVM flags |");
    List<String> shipped = AgentProcess.flagsFor(AgentProcess.JVM_FLAGS);
    for (String n : names) {
      Object flags = figures.get(n).get("jvm");
      if (flags == null) {
        sb.append(" — |");
        continue;
      }
      List<String> jvm = List.of(flags.toString().split(" "));
      List<String> differ = jvm.stream().filter(f -> !shipped.contains(f)).toList();
      sb.append(' ')
          .append(
              differ.isEmpty() && jvm.size() == shipped.size()
                  ? "as shipped"
                  : "shipped, but `" + String.join(" ", differ) + "`")
          .append(" |");
    }
    sb.append('\n');
    sb.append("| result |");
    for (String n : names) {
      Object error = figures.get(n).get("error");
      sb.append(' ')
          .append(error == null ? "ok" : "failed: " + error.toString().replace('|', '/'))
          .append(" |");
    }
    sb.append('\n');
    row(sb, figures, names, "classes loaded (after the idle period)", "classesLoaded", "");
    row(sb, figures, names, "RSS once settled", "rssMiBSettled", " MiB");
    row(sb, figures, names, "RSS after the idle period", "rssMiB", " MiB");
    row(sb, figures, names, "RSS peak, 1 MiB bundle applied", "rssMiBPeakApply", " MiB");
    row(sb, figures, names, "RSS peak, reconnect", "rssMiBPeakReconnect", " MiB");
    row(sb, figures, names, "RSS after apply and reconnect", "rssMiBAfterLoad", " MiB");
    row(sb, figures, names, "start-up to first poll ÷ bare JVM", "startupRatioToBareHello", "×");
    row(sb, figures, names, "CPU total (start-up included)", "cpuSecondsTotal", " s");
    row(sb, figures, names, "CPU during the idle period", "cpuSecondsIdle", " s");
    row(sb, figures, names, "live threads after the idle period", "threads", "");
    row(sb, figures, names, "AOT cache size", "aotCacheMiB", " MiB");
    sb.append('\n');
    return sb.toString();
  }

  private static void row(
      StringBuilder sb,
      Map<String, Map<String, Object>> figures,
      List<String> names,
      String label,
      String key,
      String unit) {
    sb.append("| ").append(label).append(" |");
    for (String n : names) {
      Object v = figures.get(n).get(key);
      sb.append(' ').append(v == null ? "—" : v + unit).append(" |");
    }
    sb.append('\n');
  }

  static String loadAverage() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }
}
