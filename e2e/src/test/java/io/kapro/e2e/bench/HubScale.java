package io.kapro.e2e.bench;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.Kapro;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.BundleRef;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.TargetSpec;
import io.kapro.api.v1alpha2.TargetStatus;
import io.kapro.api.v1alpha2.UnitVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 5: the hub's memory and CPU with {@code n} Clusters and one Published Target each in
 * the API. The hub runs as its own process ({@code io.kapro.hub.HubMain}, {@code -Xmx1g}) against
 * the local API server, so its heap and CPU are its own: time until its start-up work is done
 * (informers synced, every Cluster and Target reconciled once; the CPU falls quiet), CPU used for
 * that, heap used after a full GC, RSS, and CPU over an idle minute.
 */
final class HubScale {
  private static final Logger LOG = LoggerFactory.getLogger(HubScale.class);
  static final List<String> HUB_FLAGS = List.of("-Xmx1g");
  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  private HubScale() {}

  static Map<String, Object> run(Path dir, int n, Duration idle) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    try (LocalKubeApi api = LocalKubeApi.start();
        KubernetesClient client = api.newClient(HubWorld.NS)) {
      long c0 = System.nanoTime();
      client
          .resource(
              client
                  .getKubernetesSerialization()
                  .unmarshal(
                      """
                      apiVersion: kapro.io/v1alpha2
                      kind: Fleet
                      metadata: {name: bench}
                      spec:
                        registry: {url: "127.0.0.1:1", repositoryPrefix: kapro, insecure: true, allowPrivateNetwork: true}
                        signing: {keySecretRef: {name: kapro-signing}}
                        clusterSelector: {matchLabels: {fleet: bench}}
                        units:
                          - {name: web, backend: Flux, kind: HelmRelease, objectRef: {namespace: shop, name: web}, field: chartVersion}
                      """,
                      Fleet.class))
          .inNamespace(HubWorld.NS)
          .create();
      populate(client, n);
      out.put("clusters", n);
      out.put("targets", n);
      out.put("populateSeconds", Stats.round((System.nanoTime() - c0) / 1e9));
      Path kubeconfig = api.writeKubeconfig(dir.resolve("hub.kubeconfig"), HubWorld.NS);
      Path log = dir.resolve("hub.log");
      Process hub = startHub(kubeconfig, log);
      try {
        long t0 = System.nanoTime();
        await()
            .atMost(Duration.ofMinutes(5))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> Files.readString(log).contains("hub started"));
        out.put("startedSeconds", Stats.round((System.nanoTime() - t0) / 1e9));
        double[] busy = awaitQuiet(hub, Duration.ofMinutes(8));
        out.put("startupWorkSeconds", Stats.round((System.nanoTime() - t0) / 1e9));
        out.put("startupCpuSeconds", Stats.round(busy[0]));
        out.put("startupWorkDone", busy[1] > 0); // false: still busy after 8 minutes
        out.put("heapUsedMiBBeforeGc", heapUsedMiB(hub, false));
        out.put("heapUsedMiBAfterFullGc", heapUsedMiB(hub, true));
        out.put("rssMiB", Stats.round(rssKib(hub) / 1024.0));
        double cpu0 = cpuSeconds(hub);
        TimeUnit.NANOSECONDS.sleep(idle.toNanos()); // the idle window itself
        out.put("idleSeconds", idle.toSeconds());
        out.put("idleCpuSeconds", Stats.round(cpuSeconds(hub) - cpu0));
        out.put("heapUsedMiBAfterIdle", heapUsedMiB(hub, false));
        out.put("rssMiBAfterIdle", Stats.round(rssKib(hub) / 1024.0));
        out.put("alive", hub.isAlive());
        out.put("jvm", String.join(" ", HUB_FLAGS) + ", Java " + Runtime.version().feature());
      } finally {
        hub.destroy();
        if (!hub.waitFor(20, TimeUnit.SECONDS)) {
          hub.destroyForcibly();
        }
      }
    }
    LOG.info("hub at scale: {}", out);
    return out;
  }

  private static void populate(KubernetesClient client, int n) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String name = HubWorld.clusterName(i);
        fs.add(pool.submit(() -> cluster(client, name)));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
  }

  private static void cluster(KubernetesClient client, String name) {
    Cluster c =
        client
            .getKubernetesSerialization()
            .unmarshal(
                """
                apiVersion: kapro.io/v1alpha2
                kind: Cluster
                metadata: {name: %s, labels: {fleet: bench}}
                spec: {displayName: %s}
                """
                    .formatted(name, name),
                Cluster.class);
    client.resource(c).inNamespace(HubWorld.NS).create();
    Target t = new Target();
    t.getMetadata().setName("run-1-all-" + name);
    t.getMetadata()
        .setLabels(
            Map.of(
                Kapro.Labels.FLEET, "bench",
                Kapro.Labels.CLUSTER, name,
                Kapro.Labels.STAGE, "all",
                Kapro.Labels.PROMOTION_RUN, "run-1",
                Kapro.Labels.PHASE, "Published"));
    TargetSpec spec = new TargetSpec();
    spec.setRun("run-1");
    spec.setCluster(name);
    spec.setStage("all");
    UnitVersion u = new UnitVersion();
    u.setName("web");
    u.setVersion("2.0.0");
    spec.setUnits(List.of(u));
    t.setSpec(spec);
    TargetStatus st = new TargetStatus();
    st.setPhase(TargetPhase.Published);
    BundleRef ref = new BundleRef();
    ref.setSequence(1L);
    ref.setDigest("sha256:" + "0".repeat(64));
    st.setBundle(ref);
    t.setStatus(st);
    Target created = client.resource(t).inNamespace(HubWorld.NS).create();
    if (created.getStatus() == null) {
      created.setStatus(st);
      client.resource(created).inNamespace(HubWorld.NS).updateStatus();
    }
  }

  private static Process startHub(Path kubeconfig, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(HUB_FLAGS);
    // logback: the agent's SLF4J backend is on the test classpath too (issue 22)
    cmd.add("-Dslf4j.provider=ch.qos.logback.classic.spi.LogbackServiceProvider");
    cmd.addAll(List.of("-cp", cp, "io.kapro.hub.HubMain"));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("KAPRO_") || k.equals("KUBECONFIG"));
    pb.environment()
        .putAll(
            Map.of(
                "KUBECONFIG", kubeconfig.toString(),
                "KAPRO_NAMESPACE", "kapro-system",
                "KAPRO_GATEWAY_ADDRESS", "127.0.0.1:0",
                "KAPRO_HTTP_ADDRESS", "127.0.0.1:0",
                "KAPRO_LEADER_ELECTION", "false"));
    return pb.start();
  }

  /**
   * Waits until the process uses under 5% of one CPU for 5 s in a row; returns the CPU seconds used
   * and 1 if it fell quiet (0 if {@code max} passed first).
   */
  private static double[] awaitQuiet(Process p, Duration max) throws Exception {
    double start = cpuSeconds(p);
    long deadline = System.nanoTime() + max.toNanos();
    int quiet = 0;
    double last = start;
    while (quiet < 5 && System.nanoTime() < deadline) {
      TimeUnit.SECONDS.sleep(1); // sampling the process's CPU once a second
      double now = cpuSeconds(p);
      quiet = now - last < 0.05 ? quiet + 1 : 0;
      last = now;
    }
    return new double[] {last - start, quiet >= 5 ? 1 : 0};
  }

  static double cpuSeconds(Process p) {
    return p.toHandle().info().totalCpuDuration().orElse(Duration.ZERO).toMillis() / 1000.0;
  }

  static long rssKib(Process p) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS for " + p.pid());
  }

  /** Heap in use ({@code jcmd GC.heap_info}), optionally after a full GC ({@code GC.run}). */
  static double heapUsedMiB(Process p, boolean fullGc) throws Exception {
    if (fullGc) {
      jcmd(p, "GC.run");
    }
    Matcher m = USED.matcher(jcmd(p, "GC.heap_info"));
    if (!m.find()) {
      throw new IOException("jcmd GC.heap_info printed no 'used'");
    }
    return Stats.round(Long.parseLong(m.group(1)) / 1024.0);
  }

  private static String jcmd(Process p, String command) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process j =
        new ProcessBuilder(jcmd.toString(), Long.toString(p.pid()), command)
            .redirectErrorStream(true)
            .start();
    String text = new String(j.getInputStream().readAllBytes());
    j.waitFor(60, TimeUnit.SECONDS);
    return text;
  }
}
