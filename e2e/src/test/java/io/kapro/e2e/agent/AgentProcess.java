package io.kapro.e2e.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code io.kapro.agent.AgentMain} in its own JVM (with {@link #JVM_FLAGS} unless told otherwise),
 * with the test classpath, a config file and environment; output goes to a log file.
 */
public final class AgentProcess implements AutoCloseable {
  /**
   * The agent's JVM flags, chosen by the footprint benchmark (docs/benchmarks.md, issue 11): a
   * small heap that gives memory back after a collection, small stacks, the serial collector, C1
   * only, capped metaspace, code cache and direct memory, compact object headers (Java 24+; {@link
   * #flagsFor} drops it on older JVMs); and exit on OutOfMemoryError so the pod restarts (issue
   * 18). {@code env:NAME=value} entries would go to the environment.
   */
  public static final List<String> JVM_FLAGS =
      List.of(
          "-Xms8m",
          "-Xmx32m",
          "-XX:MinHeapFreeRatio=10",
          "-XX:MaxHeapFreeRatio=30",
          "-Xss256k",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:MaxMetaspaceSize=80m",
          "-XX:ReservedCodeCacheSize=24m",
          "-XX:MaxDirectMemorySize=32m",
          "-XX:+UseCompactObjectHeaders",
          "-XX:+ExitOnOutOfMemoryError");

  /** The flags the agent ran with before issue 11 (the issue-6 measurement). */
  public static final List<String> OLD_JVM_FLAGS = List.of("-Xmx64m", "-XX:+UseSerialGC");

  /** {@code flags} without those this JVM does not know (compact headers need Java 24+). */
  public static List<String> flagsFor(List<String> flags) {
    if (Runtime.version().feature() >= 24) {
      return flags;
    }
    return flags.stream().filter(f -> !f.contains("UseCompactObjectHeaders")).toList();
  }

  final Process process;
  public final Path log;

  private AgentProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  public static AgentProcess start(
      Path config, Map<String, String> env, Path log, String... extraArgs) throws IOException {
    return start(JVM_FLAGS, config, env, log, extraArgs);
  }

  public static AgentProcess start(
      List<String> jvmFlags, Path config, Map<String, String> env, Path log, String... extraArgs)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>();
    cmd.addAll(List.of(java));
    cmd.addAll(flagsFor(jvmFlags).stream().filter(f -> !f.startsWith("env:")).toList());
    cmd.addAll(
        List.of(
            "-Dlogback.configurationFile=kapro-agent-logback.xml",
            "-cp",
            cp,
            "io.kapro.agent.AgentMain",
            "--config",
            config.toString()));
    cmd.addAll(List.of(extraArgs));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("KAPRO_") || k.equals("KUBECONFIG"));
    pb.environment().putAll(env);
    for (String f : jvmFlags) { // "env:NAME=value" entries go to the environment
      if (f.startsWith("env:") && f.indexOf('=') > 4) {
        pb.environment().put(f.substring(4, f.indexOf('=')), f.substring(f.indexOf('=') + 1));
      }
    }
    return new AgentProcess(pb.start(), log);
  }

  /** SIGKILL without waiting (safe from any thread). */
  public void killNow() {
    process.destroyForcibly();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook, no flush. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM and wait for a graceful exit; returns the exit code. */
  public int stop(Duration wait) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      return -1;
    }
    return process.exitValue();
  }

  /** Resident set size in KiB from /proc. */
  long rssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS for " + pid());
  }

  /** CPU time used so far. */
  Duration cpu() {
    return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  public String output() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
