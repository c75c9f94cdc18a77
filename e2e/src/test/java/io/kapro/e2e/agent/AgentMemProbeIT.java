package io.kapro.e2e.agent;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22: where one idle agent's memory goes, for exploring changes before they go into {@link
 * AgentStackBenchIT}. Each variant (JVM flags added to {@link AgentProcess#JVM_FLAGS}) runs in its
 * own world with one converged bundle, side by side, with Native Memory Tracking and class-load
 * logging; after {@code kapro.probe.seconds} idle it writes, per variant under {@code
 * kapro.probe.out}: RSS and threads, /proc smaps and smaps_rollup, {@code VM.native_memory
 * summary}, the thread dump, the class histogram (live heap), {@code VM.metaspace}, class loader
 * statistics and classes loaded by package. {@code kapro.probe.variants}: {@code
 * name=flags|name=flags}; {@code env:NAME=value} goes to the environment, {@code aot} records an
 * AOT cache in a training run first, {@code nonmt} leaves NMT off. Not a test: {@code -Pbench}.
 *
 * <pre>
 * ./mvnw -B -ntp -Pbench -pl e2e -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dit.test=AgentMemProbeIT -Dfailsafe.failIfNoSpecifiedTests=false -Dkapro.probe.seconds=60 \
 *   '-Dkapro.probe.variants=base=|heap=-Xmx20m' -Dkapro.probe.out=/tmp/probe
 * </pre>
 */
@Tag("bench")
class AgentMemProbeIT {
  @TempDir Path dir;

  @Test
  void probe() throws Exception {
    Path root = Path.of(System.getProperty("kapro.probe.out", "target/agent-probe"));
    String variants = System.getProperty("kapro.probe.variants", "base=");
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
      for (String v : variants.split("\\|")) {
        String name = v.substring(0, v.indexOf('='));
        String extra = v.substring(v.indexOf('=') + 1);
        fs.add(
            pool.submit(
                () -> {
                  one(root.resolve(name), extra);
                  return null;
                }));
      }
      for (var f : fs) f.get();
    }
  }

  void one(Path out, String extra) throws Exception {
    Files.createDirectories(out);
    int hold = Integer.getInteger("kapro.probe.seconds", 60);
    List<String> flags = new ArrayList<>(AgentProcess.JVM_FLAGS);
    if (!extra.contains("nonmt")) flags.add("-XX:NativeMemoryTracking=summary");
    flags.add("-Xlog:class+load=info:file=" + out.resolve("classload.txt"));
    for (String f : extra.split(" ")) {
      if (!f.isBlank() && !f.equals("nonmt") && !f.equals("aot")) flags.add(f);
    }
    Path wdir = Files.createDirectories(dir.resolve(out.getFileName().toString()));
    List<String> cp = new ArrayList<>(AgentProcess.agentClasspath());
    cp.set(0, AgentProcess.agentJar().toString());
    if (extra.contains("aot")) {
      Path cache = out.resolve("agent.aot");
      List<String> tf = new ArrayList<>(flags);
      tf.removeIf(f -> f.startsWith("-Xlog") || f.startsWith("-XX:NativeMemory"));
      tf.add(
          "env:JDK_AOT_VM_OPTIONS="
              + System.getProperty("kapro.probe.aotopts", "-XX:MaxMetaspaceSize=512m -Xmx1g"));
      try {
        AgentFootprint.train(
            Files.createDirectories(wdir.resolve("training")),
            new AgentFootprint.Stack(tf, cp, true, false),
            Path.of(System.getProperty("java.home")),
            cache,
            "30s",
            Duration.ofSeconds(30));
      } finally {
        Path tl = wdir.resolve("training").resolve("training.log");
        if (Files.exists(tl))
          Files.copy(
              tl, out.resolve("training.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      flags.add("-XX:AOTCache=" + cache);
    }
    try (AgentWorld w = new AgentWorld(wdir, Duration.ofSeconds(30), "30s")) {
      w.awaitBaseline();
      w.publish(1, "6.5.4", "v1.2.0");
      try (AgentProcess agent =
          w.startAgent("agent.log", flags, cp, Path.of(System.getProperty("java.home")))) {
        await().atMost(Duration.ofSeconds(180)).until(() -> w.hubKnowsConverged(1));
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.output().contains("settled"));
        await()
            .during(Duration.ofSeconds(hold))
            .atMost(Duration.ofSeconds(hold + 60))
            .until(agent::isAlive);
        long pid = agent.pid();
        Files.writeString(
            out.resolve("rss.txt"),
            "VmRSS KiB " + agent.rssKib() + "\nthreads " + agent.threads() + "\n");
        Files.copy(
            Path.of("/proc/" + pid + "/smaps_rollup"),
            out.resolve("smaps_rollup.txt"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(
            Path.of("/proc/" + pid + "/smaps"),
            out.resolve("smaps.txt"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        jcmd(pid, out.resolve("nmt.txt"), "VM.native_memory", "summary");
        jcmd(pid, out.resolve("threads.txt"), "Thread.print");
        jcmd(pid, out.resolve("histo.txt"), "GC.class_histogram");
        jcmd(pid, out.resolve("metaspace.txt"), "VM.metaspace");
        jcmd(pid, out.resolve("classloaders.txt"), "VM.classloader_stats");
        Files.writeString(out.resolve("rss-after-gc.txt"), "VmRSS KiB " + agent.rssKib() + "\n");
        Files.writeString(out.resolve("flags.txt"), String.join(" ", flags) + "\n");
        Files.copy(
            agent.log, out.resolve("agent.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Map<String, Integer> byPkg = new TreeMap<>();
        for (String line : Files.readAllLines(out.resolve("classload.txt"))) {
          int i = line.indexOf("] ");
          if (i < 0) continue;
          String rest = line.substring(i + 2).split(" ")[0];
          String[] parts = rest.split("\\.");
          String key =
              String.join(".", java.util.Arrays.copyOf(parts, Math.min(3, parts.length - 1)));
          byPkg.merge(key, 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder();
        byPkg.entrySet().stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
            .forEach(e -> sb.append(e.getValue()).append(' ').append(e.getKey()).append('\n'));
        Files.writeString(out.resolve("classes-by-package.txt"), sb.toString());
      }
    }
  }

  static void jcmd(long pid, Path to, String... args) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(to.toFile()).start();
    p.waitFor(60, TimeUnit.SECONDS);
  }
}
