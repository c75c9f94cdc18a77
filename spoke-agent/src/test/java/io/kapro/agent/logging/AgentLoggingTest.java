package io.kapro.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** The agent's SLF4J backend: selection, levels, KAPRO_LOG_LEVEL, and the line format. */
class AgentLoggingTest {

  @Test
  void isTheBackendSlf4jFinds() {
    assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(AgentLogging.class);
  }

  @Test
  void levelNamesAreParsedWithoutRegardToCaseAndOffSilences() {
    assertThat(AgentLogging.parse(null)).isEqualTo(Level.INFO.toInt());
    assertThat(AgentLogging.parse("")).isEqualTo(Level.INFO.toInt());
    assertThat(AgentLogging.parse("debug")).isEqualTo(Level.DEBUG.toInt());
    assertThat(AgentLogging.parse(" TRACE ")).isEqualTo(Level.TRACE.toInt());
    assertThat(AgentLogging.parse("Warn")).isEqualTo(Level.WARN.toInt());
    assertThat(AgentLogging.parse("OFF")).isGreaterThan(Level.ERROR.toInt());
    assertThat(AgentLogging.parse("verbose")).isNull();
  }

  @Test
  void anUnknownLevelIsReportedNamingTheVariableAndInfoIsUsed() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int level =
        AgentLogging.levelFrom("verbose", new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(level).isEqualTo(Level.INFO.toInt());
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("KAPRO_LOG_LEVEL='verbose' is not a log level")
        .contains("TRACE, DEBUG, INFO, WARN, ERROR, OFF");
  }

  @Test
  void kaproLoggersFollowTheLevelAndOthersLogWarningsOnly() {
    AgentLogging backend = new AgentLogging();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    backend.configure(Level.DEBUG.toInt(), new PrintStream(out, true, StandardCharsets.UTF_8));
    Logger kapro = backend.getLogger("io.kapro.agent.bundle.PullLoop");
    Logger other = backend.getLogger("io.grpc.internal.ManagedChannelImpl");
    Logger lookalike = backend.getLogger("io.kaprox.Thing");
    assertThat(kapro.isDebugEnabled()).isTrue();
    assertThat(kapro.isTraceEnabled()).isFalse();
    assertThat(other.isInfoEnabled()).isFalse();
    assertThat(other.isWarnEnabled()).isTrue();
    assertThat(lookalike.isInfoEnabled()).isFalse();
    kapro.debug("polled {} in {} ms", "kapro/team-a/edge-1", 12);
    other.info("not shown");
    other.warn("shown");
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("polled kapro/team-a/edge-1 in 12 ms", "shown");
    assertThat(text).doesNotContain("not shown");
  }

  @Test
  void aLineCarriesTimeLevelThreadLoggerAndTheTwoMdcKeysThenTheStackTrace() {
    AgentLogging backend = new AgentLogging();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    backend.configure(Level.INFO.toInt(), new PrintStream(out, true, StandardCharsets.UTF_8));
    Logger log = backend.getLogger("io.kapro.agent.bundle.PullLoop");
    backend.getMDCAdapter().put("cluster", "team-a/edge-1");
    backend.getMDCAdapter().put("bundle.digest", "sha256:abc");
    try {
      log.info("applied bundle {} (sequence {}, run r1)", "sha256:abc", 7);
      log.warn("cannot reach the registry", new IllegalStateException("refused"));
    } finally {
      backend.getMDCAdapter().clear();
    }
    log.info("idle");
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\\R");
    // The format ApplyLog parses (e2e invariant) and operators grep: as logback printed it.
    assertThat(lines[0])
        .matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  \\[[^]]+\\] PullLoop"
                + " cluster=team-a/edge-1 bundle.digest=sha256:abc - applied bundle sha256:abc"
                + " \\(sequence 7, run r1\\)");
    assertThat(lines[1]).contains("WARN  [", " - cannot reach the registry");
    assertThat(lines[2]).isEqualTo("java.lang.IllegalStateException: refused");
    assertThat(lines[3]).startsWith("\tat ");
    assertThat(lines[lines.length - 1]).endsWith("PullLoop cluster= bundle.digest= - idle");
  }

  @Test
  void kaproLogLevelReachesARealProcess() throws Exception {
    assertThat(run("DEBUG"))
        .contains("DEBUG [main] LevelProbe cluster= bundle.digest= - debug from io.kapro")
        .doesNotContain("info from elsewhere");
    assertThat(run(null))
        .contains("INFO  [main] LevelProbe cluster= bundle.digest= - info from io.kapro")
        .doesNotContain("debug from io.kapro");
    assertThat(run("error")).doesNotContain("info from io.kapro").contains("warn from elsewhere");
  }

  /** Runs {@link LevelProbe} in its own JVM with KAPRO_LOG_LEVEL set to {@code level}. */
  private static String run(String level) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            java.toString(),
            "-cp",
            System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
            LevelProbe.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove(AgentLogging.LEVEL_ENV);
    if (level != null) {
      pb.environment().put(AgentLogging.LEVEL_ENV, level);
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
