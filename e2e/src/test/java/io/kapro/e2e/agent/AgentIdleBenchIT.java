package io.kapro.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's idle footprint, measured on its own JVM ({@link AgentProcess#JVM_FLAGS}): start-up
 * time to the first poll, RSS and CPU after an idle period with one converged bundle, and bytes on
 * the wire per idle hour to the registry and to the hub (counted by loopback TCP proxies). The
 * smoke run (CI) idles for seconds and only checks that figures were produced; the bench run idles
 * ten minutes at a 30 s poll and 30 s heartbeats and writes docs/benchmarks.md.
 */
class AgentIdleBenchIT {
  static final String BEGIN = "<!-- issue-6:begin -->";
  static final String END = "<!-- issue-6:end -->";
  static final String COMMAND =
      "./mvnw -B -ntp -Pbench -pl e2e -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dit.test=AgentIdleBenchIT -Dfailsafe.failIfNoSpecifiedTests=false";

  @TempDir Path dir;

  @Test
  void smokeProducesFigures() throws Exception {
    Map<String, Object> figures = measure(Duration.ofSeconds(8), "2s", Duration.ofSeconds(2));
    assertThat(figures)
        .containsKeys(
            "startupToFirstPollMs",
            "rssMiB",
            "cpuSecondsIdle",
            "registryBytesPerHour",
            "hubBytesPerHour");
    write(Path.of("target", "benchmarks-agent-smoke.json"), figures);
  }

  @Test
  @Tag("bench")
  void tenIdleMinutesAtA30sPoll() throws Exception {
    Map<String, Object> figures = measure(Duration.ofMinutes(10), "30s", Duration.ofSeconds(30));
    Path docs = docsDir();
    write(docs.resolve("benchmarks-agent.json"), figures);
    writeSection(docs.resolve("benchmarks.md"), section(figures));
  }

  private Map<String, Object> measure(Duration idle, String poll, Duration heartbeat)
      throws Exception {
    Map<String, Object> out =
        AgentFootprint.one(dir, AgentProcess.JVM_FLAGS, idle, poll, heartbeat);
    out.put("cpus", Runtime.getRuntime().availableProcessors());
    out.put("date", Instant.now().toString());
    return out;
  }

  private static double round(double d) {
    return Math.round(d * 100) / 100.0;
  }

  private static void write(Path file, Map<String, Object> figures) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(file.toFile(), figures);
  }

  private static String section(Map<String, Object> f) {
    return String.format(
        Locale.ROOT,
        """
        ## Issue 6 — the agent at rest

        One agent JVM (`%s`) with one converged bundle (a Flux HelmRelease and an Argo CD Application \
        on the mock API server), polling the local distribution registry every %s and sending heartbeats \
        to the real hub gateway (mTLS) every %d s, left idle for %d s. Bytes are counted by loopback TCP \
        proxies between the agent and the registry and between the agent and the gateway (both \
        directions, TLS included); the idle figures are scaled to one hour.

        | figure | value |
        |---|---|
        | start-up to first poll (JVM start, config, enrollment, first registry HEAD) | %s ms |
        | RSS after the idle period | %s MiB |
        | CPU used during the idle period | %s s |
        | registry bytes per idle hour | %s |
        | hub (gRPC) bytes per idle hour | %s |

        - machine: %d CPUs visible to the JVM, shared with other builds; date: %s
        - command: `%s`
        - raw figures: [benchmarks-agent.json](benchmarks-agent.json)
        """,
        f.get("jvm"),
        f.get("pollInterval"),
        f.get("heartbeatSeconds"),
        f.get("idleSeconds"),
        f.get("startupToFirstPollMs"),
        f.get("rssMiB"),
        f.get("cpuSecondsIdle"),
        f.get("registryBytesPerHour"),
        f.get("hubBytesPerHour"),
        f.get("cpus"),
        f.get("date"),
        COMMAND);
  }

  static Path docsDir() throws IOException {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IOException(
          "cannot find the repository root above " + Path.of("").toAbsolutePath());
    }
    return Files.createDirectories(p.resolve("docs"));
  }

  static void writeSection(Path file, String body) throws IOException {
    writeSection(file, BEGIN, END, body);
  }

  /** Replaces (or appends) the section between {@code begin} and {@code end} in {@code file}. */
  static void writeSection(Path file, String begin, String end, String body) throws IOException {
    String section = begin + "\n" + body + end + "\n";
    String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\n";
    int b = text.indexOf(begin);
    int e = text.indexOf(end);
    if (b >= 0 && e > b) {
      text =
          text.substring(0, b) + section + text.substring(e + end.length()).replaceFirst("^\n", "");
    } else {
      text = text + (text.endsWith("\n\n") ? "" : "\n") + section;
    }
    Files.writeString(file, text);
  }
}
