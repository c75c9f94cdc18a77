package io.kapro.e2e.agent;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The agent's footprint as a real process: start-up to the first poll, RSS and CPU after an idle
 * period with one converged bundle, bytes per idle hour to the registry and to the hub (loopback
 * TCP proxies). Several JVM flag sets run side by side in one call, each against its own world
 * (registry, API server, gateway), so they share the machine's load.
 */
public final class AgentFootprint {
  private AgentFootprint() {}

  /** One map of figures per variant name, in the order given. */
  public static Map<String, Map<String, Object>> measure(
      Path dir, Map<String, List<String>> variants, Duration idle, String poll, Duration heartbeat)
      throws Exception {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Map<String, Object>>> fs = new ArrayList<>();
      for (Map.Entry<String, List<String>> v : variants.entrySet()) {
        Path d = Files.createDirectories(dir.resolve(v.getKey()));
        fs.add(pool.submit(() -> one(d, v.getValue(), idle, poll, heartbeat)));
      }
      int i = 0;
      for (String name : variants.keySet()) {
        out.put(name, fs.get(i++).get());
      }
    }
    return out;
  }

  static Map<String, Object> one(
      Path dir, List<String> flags, Duration idle, String poll, Duration heartbeat)
      throws Exception {
    return one(dir, flags, idle, poll, heartbeat, 1);
  }

  /** As above, the bundle managing {@code helmReleases} HelmReleases and one Application. */
  static Map<String, Object> one(
      Path dir,
      List<String> flags,
      Duration idle,
      String poll,
      Duration heartbeat,
      int helmReleases)
      throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    try (AgentWorld w = new AgentWorld(dir, heartbeat, poll, helmReleases)) {
      w.awaitBaseline();
      w.publish(1, "6.5.4", "v1.2.0");
      long started = System.nanoTime();
      try (AgentProcess agent = w.startAgent("agent.log", flags)) {
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> agent.output().contains("first poll of"));
        out.put("startupToFirstPollMs", (System.nanoTime() - started) / 1_000_000);
        await().atMost(Duration.ofSeconds(120)).until(() -> w.hubKnowsConverged(1));
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.output().contains("settled"));
        out.put("rssMiBSettled", round(agent.rssKib() / 1024.0));
        long reg0 = w.registryProxy.bytes();
        long hub0 = w.hubProxy.bytes();
        Duration cpu0 = agent.cpu();
        Instant t0 = Instant.now();
        await()
            .during(idle)
            .atMost(idle.plusSeconds(60))
            .until(agent.process::isAlive); // idle: nothing published, the agent only polls
        double hours = Duration.between(t0, Instant.now()).toMillis() / 3_600_000.0;
        out.put("idleSeconds", idle.toSeconds());
        out.put("pollInterval", poll);
        out.put("heartbeatSeconds", heartbeat.toSeconds());
        out.put("rssMiB", round(agent.rssKib() / 1024.0));
        out.put("cpuSecondsIdle", round((agent.cpu().toMillis() - cpu0.toMillis()) / 1000.0));
        out.put("cpuSecondsTotal", round(agent.cpu().toMillis() / 1000.0));
        out.put("registryBytesPerHour", Math.round((w.registryProxy.bytes() - reg0) / hours));
        out.put("hubBytesPerHour", Math.round((w.hubProxy.bytes() - hub0) / hours));
        out.put("jvm", String.join(" ", AgentProcess.flagsFor(flags)));
        out.put("managedObjects", helmReleases + 1);
        out.put("java", System.getProperty("java.version"));
        if (flags.stream().anyMatch(f -> f.startsWith("-XX:NativeMemoryTracking"))) {
          Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
          new ProcessBuilder(
                  jcmd.toString(), Long.toString(agent.pid()), "VM.native_memory", "summary")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("nmt.txt").toFile())
              .start()
              .waitFor();
        }
      }
    }
    return out;
  }

  static double round(double d) {
    return Math.round(d * 100) / 100.0;
  }
}
