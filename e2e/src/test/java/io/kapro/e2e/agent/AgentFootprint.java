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
import java.util.concurrent.Semaphore;

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

  /** The agent of this checkout with the shipped flags ({@link AgentProcess#JVM_FLAGS}). */
  public static final String AFTER = "this build, as shipped";

  /**
   * Agent builds of other commits to run beside this one, in order: {@code
   * label=worktree;label=worktree}, each worktree with spoke-agent built up to package ({@code
   * scripts/bench-agent} checks the commits out and builds them).
   */
  public static final String BUILDS = "kapro.bench.agentBuilds";

  /**
   * Flag variants of this build: {@code label=flag flag;…}. A flag replaces the shipped flag of the
   * same name ({@code -Xmx20m} replaces {@code -Xmx24m}) or is added; {@code +aot} records an AOT
   * cache in a training run first, {@code +jlink} runs on a runtime linked with only the agent's
   * modules.
   */
  public static final String VARIANTS = "kapro.bench.agentVariants";

  /**
   * The stacks to measure, in order: the builds of {@link #BUILDS} (the first is the baseline of
   * the run), this build as shipped ({@link #AFTER}), then the variants of {@link #VARIANTS}. Every
   * stack runs on the agent's own runtime classpath as the image ships it.
   */
  public static Map<String, Stack> stacks() throws Exception {
    Map<String, Stack> s = new LinkedHashMap<>();
    for (Map.Entry<String, String> b : specs(System.getProperty(BUILDS, "")).entrySet()) {
      Path module = Path.of(b.getValue()).resolve("spoke-agent");
      s.put(
          b.getKey(),
          new Stack(AgentProcess.JVM_FLAGS, AgentProcess.agentClasspath(module), false, false));
    }
    s.put(AFTER, new Stack(AgentProcess.JVM_FLAGS, AgentProcess.agentClasspath(), false, false));
    for (Map.Entry<String, String> v : specs(System.getProperty(VARIANTS, "")).entrySet()) {
      List<String> flags = new ArrayList<>(AgentProcess.JVM_FLAGS);
      boolean aot = false;
      boolean jlink = false;
      for (String f : v.getValue().trim().split("\\s+")) {
        if (f.equals("+aot")) {
          aot = true;
        } else if (f.equals("+jlink")) {
          jlink = true;
        } else if (!f.isEmpty()) {
          String name = flagName(f);
          flags.removeIf(g -> flagName(g).equals(name));
          flags.add(f);
        }
      }
      List<String> cp = AgentProcess.agentClasspath();
      if (aot) {
        // An AOT cache accepts jars only on the classpath ("Cannot have non-empty directory in
        // paths"), so this runs on the packaged agent jar instead of target/classes.
        cp = new ArrayList<>(cp);
        cp.set(0, AgentProcess.agentJar().toString());
      }
      s.put(v.getKey(), new Stack(List.copyOf(flags), cp, aot, jlink));
    }
    return s;
  }

  /** The first stack of a run: its baseline (a build of {@link #BUILDS}), or null when none ran. */
  public static String baseline(Map<String, ?> figures) {
    String first = figures.keySet().iterator().next();
    return first.equals(AFTER) ? null : first;
  }

  /** {@code label=value;label=value} in order; a malformed entry is refused, naming the fix. */
  static Map<String, String> specs(String spec) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String e : spec.split(";")) {
      if (e.isBlank()) {
        continue;
      }
      int eq = e.indexOf('=');
      if (eq <= 0 || eq == e.length() - 1) {
        throw new IllegalArgumentException(
            "'" + e + "' is not label=value (e.g. 'session start=/path/to/worktree')");
      }
      out.put(e.substring(0, eq).trim(), e.substring(eq + 1).trim());
    }
    return out;
  }

  /** {@code -Xmx20m} → {@code -Xmx}; {@code -XX:Foo=1} and {@code -XX:+Foo} → {@code Foo}. */
  static String flagName(String f) {
    if (f.startsWith("-XX:")) {
      String n = f.substring(4).replaceFirst("^[+-]", "");
      int eq = n.indexOf('=');
      return eq < 0 ? n : n.substring(0, eq);
    }
    if (f.startsWith("-D") || f.startsWith("env:")) {
      int eq = f.indexOf('=');
      return eq < 0 ? f : f.substring(0, eq);
    }
    return f.replaceFirst("^(-Xm[sxn]|-Xss).*", "$1");
  }

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    List<String> out = new ArrayList<>();
    for (List<String> p : parts) {
      out.addAll(p);
    }
    return out;
  }

  /**
   * One agent stack to measure: JVM flags, the classpath it runs on, and whether an AOT cache (JDK
   * 25, {@code -XX:AOTCacheOutput}) is first recorded by a training run of the same stack in a
   * world of its own and then used ({@code -XX:AOTCache}).
   */
  public record Stack(
      List<String> flags, List<String> classpath, boolean aotCache, boolean jlinked) {}

  /**
   * As {@link #measure}, per stack, adding the classes loaded, the RSS peak while a 1 MiB bundle is
   * applied and while the agent reconnects to a restarted hub, and a bare-JVM hello world with the
   * same flags started right before each agent (the start-up baseline of the same run).
   */
  public static Map<String, Map<String, Object>> measureStacks(
      Path dir, Map<String, Stack> stacks, Duration idle, String poll, Duration heartbeat)
      throws Exception {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    // one stack at a time from its world's start to its agent having settled (start-up is timed
    // without the other stacks' start-ups on the same two cores); then they idle together
    Semaphore startGate = new Semaphore(1, true);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Map<String, Object>>> fs = new ArrayList<>();
      for (Map.Entry<String, Stack> v : stacks.entrySet()) {
        // a file name without spaces or commas: the agent's YAML config lists paths in it
        Path d =
            Files.createDirectories(
                dir.resolve(v.getKey().replaceAll("[^A-Za-z0-9]+", "-").toLowerCase()));
        fs.add(pool.submit(() -> stack(d, v.getValue(), idle, poll, heartbeat, startGate)));
      }
      int i = 0;
      for (String name : stacks.keySet()) {
        try {
          out.put(name, fs.get(i++).get());
        } catch (java.util.concurrent.ExecutionException e) {
          // a column that fails (a variant's heap too small to converge) is a result, not the end
          // of the run: what failed and the agent's last lines go into the figures
          Map<String, Object> failed = new LinkedHashMap<>();
          failed.put("error", String.valueOf(e.getCause()));
          failed.put("jvm", String.join(" ", AgentProcess.flagsFor(stacks.get(name).flags())));
          Path log =
              dir.resolve(name.replaceAll("[^A-Za-z0-9]+", "-").toLowerCase()).resolve("agent.log");
          if (Files.isRegularFile(log)) {
            List<String> lines = Files.readAllLines(log);
            failed.put("agentLogTail", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
          }
          out.put(name, failed);
        }
      }
    }
    return out;
  }

  static Map<String, Object> stack(
      Path dir, Stack stack, Duration idle, String poll, Duration heartbeat, Semaphore startGate)
      throws Exception {
    List<String> flags = new ArrayList<>(stack.flags());
    Map<String, Object> extra = new LinkedHashMap<>();
    Path javaHome = Path.of(System.getProperty("java.home"));
    if (stack.jlinked()) {
      javaHome = jlink(dir.resolve("jre"));
      extra.put("javaModules", AGENT_MODULES);
    }
    if (stack.aotCache()) {
      Path cache = dir.resolve("agent.aot");
      long t0 = System.nanoTime();
      try {
        train(
            Files.createDirectories(dir.resolve("training")),
            stack,
            javaHome,
            cache,
            poll,
            heartbeat);
        extra.put("aotTrainingSeconds", round((System.nanoTime() - t0) / 1e9));
        extra.put("aotCacheMiB", round(Files.size(cache) / 1048576.0));
        flags.add("-XX:AOTCache=" + cache);
      } catch (Exception e) { // reported with the figures; the stack runs without a cache
        extra.put("aotCacheError", String.valueOf(e));
      }
    }
    Map<String, Object> out =
        one(dir, flags, stack.classpath(), javaHome, idle, poll, heartbeat, true, 1, startGate);
    out.putAll(extra);
    return out;
  }

  /** A training run: the agent applies one bundle and stops; the JVM writes the AOT cache. */
  /**
   * The modules the agent needs, from {@code jdeps --print-module-deps --ignore-missing-deps} over
   * its runtime classpath (issue 22), plus jdk.crypto.cryptoki and jdk.charsets that a TLS client
   * may reach through the security providers and charset look-ups jdeps cannot see.
   */
  public static final String AGENT_MODULES =
      "java.base,java.desktop,java.naming,java.net.http,java.sql,jdk.httpserver,jdk.jfr,"
          + "jdk.management,jdk.unsupported,jdk.crypto.cryptoki,jdk.charsets";

  /** A runtime with only {@link #AGENT_MODULES}, linked from this JDK, with its CDS archive. */
  static Path jlink(Path out) throws Exception {
    Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
    Process p =
        new ProcessBuilder(
                jlink.toString(),
                "--add-modules",
                AGENT_MODULES,
                "--output",
                out.toString(),
                "--strip-debug",
                "--no-header-files",
                "--no-man-pages",
                "--generate-cds-archive")
            .redirectErrorStream(true)
            .start();
    String text = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("jlink failed: " + text);
    }
    return out;
  }

  static void train(
      Path dir, Stack stack, Path javaHome, Path cache, String poll, Duration heartbeat)
      throws Exception {
    List<String> flags = new ArrayList<>(stack.flags());
    flags.add("-XX:AOTCacheOutput=" + cache);
    // The cache is assembled by a second JVM that inherits the training run's flags; the agent's
    // MaxMetaspaceSize is too small for it ("Unable to allocate from 'ro' region"), so that JVM
    // gets its own limits (JDK_AOT_VM_OPTIONS is appended to the inherited flags).
    flags.add("env:JDK_AOT_VM_OPTIONS=-XX:MaxMetaspaceSize=512m -Xmx1g");
    try (AgentWorld w = new AgentWorld(dir, heartbeat, poll)) {
      w.awaitBaseline();
      w.publish(1, "6.5.4", "v1.2.0");
      try (AgentProcess agent = w.startAgent("training.log", flags, stack.classpath(), javaHome)) {
        await().atMost(Duration.ofSeconds(180)).until(() -> w.hubKnowsConverged(1));
        w.publishLarge(2);
        await().atMost(Duration.ofSeconds(180)).until(() -> w.hubKnowsConverged(2));
        agent.stop(Duration.ofSeconds(300));
      }
    }
    if (!Files.isRegularFile(cache)) {
      throw new IllegalStateException(
          "the training run wrote no AOT cache " + cache + "; see " + dir.resolve("training.log"));
    }
  }

  /** Milliseconds from launch to the line of {@link BareHello}, with these flags. */
  static long bareHelloMs(Path javaHome, List<String> flags, Path log) throws Exception {
    String java = javaHome.resolve("bin/java").toString();
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(
        AgentProcess.flagsFor(flags).stream()
            .filter(f -> !f.startsWith("env:") && !f.startsWith("-XX:AOTCache"))
            .toList());
    cmd.addAll(
        List.of(
            "-cp",
            Path.of(BareHello.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString(),
            BareHello.class.getName()));
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String first;
    try (var r = p.inputReader()) {
      first = r.readLine();
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    p.waitFor();
    Files.writeString(log, String.valueOf(first) + "\n");
    if (!"hello".equals(first)) {
      throw new IllegalStateException("bare JVM printed " + first + " with " + cmd);
    }
    return ms;
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
    return one(
        dir,
        flags,
        AgentProcess.agentClasspath(),
        Path.of(System.getProperty("java.home")),
        idle,
        poll,
        heartbeat,
        false,
        helmReleases,
        null);
  }

  static Map<String, Object> one(
      Path dir,
      List<String> flags,
      List<String> classpath,
      Path javaHome,
      Duration idle,
      String poll,
      Duration heartbeat,
      boolean underLoad,
      int helmReleases,
      Semaphore startGate)
      throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    if (startGate != null) {
      startGate.acquire();
    }
    boolean gated = startGate != null;
    try (AgentWorld w = new AgentWorld(dir, heartbeat, poll, helmReleases)) {
      w.awaitBaseline();
      w.publish(1, "6.5.4", "v1.2.0");
      if (underLoad) {
        long[] hello = new long[3];
        for (int i = 0; i < hello.length; i++) {
          hello[i] = bareHelloMs(javaHome, flags, dir.resolve("hello.log"));
        }
        java.util.Arrays.sort(hello);
        out.put("bareHelloMs", hello[1]);
      }
      long started = System.nanoTime();
      try (AgentProcess agent = w.startAgent("agent.log", flags, classpath, javaHome)) {
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> agent.output().contains("first poll of"));
        out.put("startupToFirstPollMs", (System.nanoTime() - started) / 1_000_000);
        await().atMost(Duration.ofSeconds(120)).until(() -> w.hubKnowsConverged(1));
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.output().contains("settled"));
        out.put("rssMiBSettled", round(agent.rssKib() / 1024.0));
        if (gated) {
          gated = false;
          startGate.release();
        }
        long reg0 = w.registryProxy.bytes();
        long hub0 = w.hubProxy.bytes();
        Duration cpu0 = agent.cpu();
        AgentProcess.ThreadTicks ticks0 = agent.threadTicks();
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
        out.put("threads", agent.threads());
        out.put("threadTicksIdle", agent.threadTicks().since(ticks0));
        out.put("registryBytesPerHour", Math.round((w.registryProxy.bytes() - reg0) / hours));
        out.put("hubBytesPerHour", Math.round((w.hubProxy.bytes() - hub0) / hours));
        out.put("jvm", String.join(" ", AgentProcess.flagsFor(flags)));
        out.put("managedObjects", helmReleases + 1);
        if (underLoad) {
          out.put("classesLoaded", agent.classesLoaded());
          out.put(
              "startupRatioToBareHello",
              round(
                  ((Number) out.get("startupToFirstPollMs")).doubleValue()
                      / ((Number) out.get("bareHelloMs")).doubleValue()));
          // A 1 MiB bundle: peak RSS from its publication until the hub knows it converged.
          agent.resetPeak();
          w.publishLarge(2);
          await()
              .atMost(Duration.ofSeconds(300))
              .pollInterval(Duration.ofMillis(100))
              .until(() -> w.hubKnowsConverged(2));
          out.put("rssMiBPeakApply", round(agent.peakRssKib() / 1024.0));
          // A reconnect: the hub goes away and comes back; peak until the agent said hello again
          // and sent a heartbeat's worth of traffic.
          agent.resetPeak();
          w.hub.stop(); // closes the agent's stream; the new gateway has a fresh tracker
          w.hub.start();
          await()
              .atMost(Duration.ofSeconds(180))
              .pollInterval(Duration.ofMillis(100))
              .until(() -> w.hub.connectivity.connectivity(HubStandIn.CLUSTER).isPresent());
          await().during(heartbeat).atMost(heartbeat.plusSeconds(60)).until(agent::isAlive);
          out.put("rssMiBPeakReconnect", round(agent.peakRssKib() / 1024.0));
          out.put("rssMiBAfterLoad", round(agent.rssKib() / 1024.0));
          out.put("classesLoadedAfterLoad", agent.classesLoaded());
        }
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
    } finally {
      if (gated) {
        startGate.release();
      }
    }
    return out;
  }

  static double round(double d) {
    return Math.round(d * 100) / 100.0;
  }
}
