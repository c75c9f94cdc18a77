package io.kapro.e2e.agent;

import java.io.File;
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
   * Give memory glibc keeps after start-up back to the OS every 5 s (issue 22, AgentFlagsBenchIT:
   * about 3.5 MiB of RSS; a no-op on a runtime without the flag).
   */
  public static final String TRIM_NATIVE_HEAP = "-XX:TrimNativeHeapInterval=5000";

  /**
   * The agent's JVM flags, chosen by the footprint benchmarks (docs/benchmarks.md, issues 11 and
   * 22): a small heap (24 MiB, of it a 2 MiB young generation: the live set after start-up is about
   * 16 MiB and stays in the old generation, so a large eden only kept touched pages) that gives
   * memory back after a collection, small stacks, the serial collector, C1 only and only for code
   * run ten times as often as by default (half the compiled code of an idle agent), capped
   * metaspace, code cache and direct memory, compact object headers (Java 24+; {@link #flagsFor}
   * drops it on older JVMs); and exit on OutOfMemoryError so the pod restarts (issue 18). {@code
   * env:NAME=value} entries would go to the environment.
   */
  public static final List<String> JVM_FLAGS =
      List.of(
          "-Xms8m",
          "-Xmx24m",
          "-Xmn2m",
          "-XX:MinHeapFreeRatio=10",
          "-XX:MaxHeapFreeRatio=30",
          "-Xss256k",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:CompileThresholdScaling=10",
          "-XX:MaxMetaspaceSize=80m",
          "-XX:ReservedCodeCacheSize=24m",
          "-XX:MaxDirectMemorySize=32m",
          "-XX:+UseCompactObjectHeaders",
          "-XX:+ExitOnOutOfMemoryError",
          TRIM_NATIVE_HEAP);

  /**
   * {@link #JVM_FLAGS} as they were before issue 22 cut the heap and the compiled code (branch
   * i22-mem): a 32 MiB heap with the default young generation, C1 at its default thresholds. The
   * stack benchmark runs them beside the chosen flags.
   */
  public static final List<String> JVM_FLAGS_BEFORE_HEAP_CUT =
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
          "-XX:+ExitOnOutOfMemoryError",
          TRIM_NATIVE_HEAP);

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
    return start(jvmFlags, agentClasspath(), config, env, log, extraArgs);
  }

  /**
   * The agent's own runtime classpath, as the image ships it: spoke-agent's classes and the file
   * its build writes ({@code spoke-agent/target/agent.classpath}, maven-dependency-plugin), so the
   * process runs on the agent's dependencies (its logging backend, its own Kubernetes client) and
   * not on this module's test classpath.
   */
  public static List<String> agentClasspath() throws IOException {
    return agentClasspath(Path.of("").toAbsolutePath().getParent().resolve("spoke-agent"));
  }

  /** As {@link #agentClasspath()}, of the spoke-agent module of another checkout. */
  public static List<String> agentClasspath(Path module) throws IOException {
    Path file = module.resolve("target/agent.classpath");
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          file + " is missing; build spoke-agent with -am up to prepare-package (verify does)");
    }
    List<String> cp = new ArrayList<>();
    cp.add(module.resolve("target/classes").toString());
    for (String e : Files.readString(file).trim().split(File.pathSeparator)) {
      if (!e.isBlank()) {
        cp.add(e);
      }
    }
    return cp;
  }

  /** spoke-agent's packaged jar (target/kapro-spoke-agent-VERSION.jar), built by package. */
  public static Path agentJar() throws IOException {
    Path target = Path.of("").toAbsolutePath().getParent().resolve("spoke-agent/target");
    try (var files = Files.list(target)) {
      return files
          .filter(
              f -> {
                String n = f.getFileName().toString();
                return n.startsWith("kapro-spoke-agent-")
                    && n.endsWith(".jar")
                    && !n.endsWith("-tests.jar");
              })
          .findFirst()
          .orElseThrow(
              () -> new IOException("no kapro-spoke-agent jar in " + target + "; run package"));
    }
  }

  /** As {@link #start(List, Path, Map, Path, String...)}, on the given classpath. */
  public static AgentProcess start(
      List<String> jvmFlags,
      List<String> classpath,
      Path config,
      Map<String, String> env,
      Path log,
      String... extraArgs)
      throws IOException {
    return start(
        jvmFlags, classpath, Path.of(System.getProperty("java.home")), config, env, log, extraArgs);
  }

  /** As {@link #start(List, List, Path, Map, Path, String...)}, on the Java runtime given. */
  public static AgentProcess start(
      List<String> jvmFlags,
      List<String> classpath,
      Path javaHome,
      Path config,
      Map<String, String> env,
      Path log,
      String... extraArgs)
      throws IOException {
    String java = javaHome.resolve("bin/java").toString();
    String cp = String.join(File.pathSeparator, classpath);
    List<String> cmd = new ArrayList<>();
    cmd.addAll(List.of(java));
    cmd.addAll(flagsFor(jvmFlags).stream().filter(f -> !f.startsWith("env:")).toList());
    cmd.addAll(List.of("-cp", cp, "io.kapro.agent.AgentMain", "--config", config.toString()));
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

  /** Peak resident set size (VmHWM) in KiB since start or the last {@link #resetPeak()}. */
  long peakRssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmHWM for " + pid());
  }

  /** Resets the peak RSS to the current RSS (Linux: "5" to /proc/PID/clear_refs). */
  void resetPeak() throws IOException {
    Files.writeString(Path.of("/proc", Long.toString(pid()), "clear_refs"), "5");
  }

  /**
   * Classes loaded and not unloaded, from the JVM's performance counters (jcmd): those parsed at
   * run time and those mapped from the JDK's CDS archive or an AOT cache.
   */
  long classesLoaded() throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "PerfCounter.print")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(60, TimeUnit.SECONDS);
    // classes from a CDS archive or an AOT cache are counted apart from those parsed at run time
    long loaded =
        counter(out, "java.cls.loadedClasses") + counter(out, "java.cls.sharedLoadedClasses");
    long unloaded =
        counter(out, "java.cls.unloadedClasses") + counter(out, "java.cls.sharedUnloadedClasses");
    return loaded - unloaded;
  }

  private static long counter(String perf, String name) throws IOException {
    for (String line : perf.split("\n")) {
      if (line.startsWith(name + "=")) {
        return Long.parseLong(line.substring(name.length() + 1).trim());
      }
    }
    throw new IOException("jcmd PerfCounter.print has no " + name + ": " + perf);
  }

  /**
   * CPU time per thread in clock ticks (1/100 s; utime + stime from /proc/PID/task/TID/stat) and
   * the process's total (which keeps the time of threads that ended). Less sensitive to a loaded
   * machine than wall-clock figures: a thread's ticks are what it ran, not what it waited.
   */
  record ThreadTicks(long total, Map<Long, String> names, Map<Long, Long> ticks) {
    /**
     * Ticks used since {@code before}, by thread name with its digits shown as # (a pool counts
     * once), busiest first; what threads that ended meanwhile used is under "(ended threads)".
     */
    Map<String, Long> since(ThreadTicks before) {
      Map<String, Long> byName = new java.util.HashMap<>();
      long live = 0;
      for (var e : ticks.entrySet()) {
        long d = e.getValue() - before.ticks.getOrDefault(e.getKey(), 0L);
        live += d;
        byName.merge(names.get(e.getKey()).replaceAll("[0-9]+", "#"), d, Long::sum);
      }
      byName.put("(ended threads)", Math.max(0, total - before.total - live));
      Map<String, Long> out = new java.util.LinkedHashMap<>();
      byName.entrySet().stream()
          .filter(e -> e.getValue() > 0)
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(e -> out.put(e.getKey(), e.getValue()));
      return out;
    }
  }

  ThreadTicks threadTicks() throws IOException {
    Map<Long, String> names = new java.util.HashMap<>();
    Map<Long, Long> ticks = new java.util.HashMap<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
      for (Path t : tasks.toList()) {
        String stat;
        try {
          stat = Files.readString(t.resolve("stat"));
        } catch (IOException gone) { // the thread ended meanwhile
          continue;
        }
        long tid = Long.parseLong(t.getFileName().toString());
        names.put(tid, stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
        ticks.put(tid, ticks(stat));
      }
    }
    long total = ticks(Files.readString(Path.of("/proc", Long.toString(pid()), "stat")));
    return new ThreadTicks(total, names, ticks);
  }

  private static long ticks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
  }

  /** Live threads, from /proc/PID/task. */
  long threads() throws IOException {
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
      return tasks.count();
    }
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
