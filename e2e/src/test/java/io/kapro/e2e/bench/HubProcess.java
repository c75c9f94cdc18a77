package io.kapro.e2e.bench;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hub as its own process ({@code io.kapro.hub.HubMain}, {@value #XMX}) against a kubeconfig:
 * its heap, CPU and file descriptors are its own, so a benchmark measures the hub and not the load
 * around it. Heap figures come from the process itself ({@code jcmd GC.heap_info}, after {@code
 * jcmd GC.run} for "after a full GC"); CPU and RSS from /proc.
 */
final class HubProcess implements AutoCloseable {
  static final String XMX = "-Xmx1g";
  static final List<String> FLAGS = List.of(XMX);
  private static final Pattern STARTED = Pattern.compile("hub started: gateway on [^:\\s]+:(\\d+)");
  private static final Pattern USED = Pattern.compile("used (\\d+)K");
  private static final Pattern CONNECTED =
      Pattern.compile("^kapro_agents_connected(?:\\{[^}]*\\})? ([0-9.eE+]+)$", Pattern.MULTILINE);

  final Process process;
  final Path log;
  final int httpPort;
  final double startedSeconds;
  final int gatewayPort;
  private final HttpClient http = HttpClient.newHttpClient();

  private HubProcess(Process process, Path log, int httpPort, long t0, Duration max)
      throws IOException {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
    int[] port = new int[1];
    await()
        .atMost(max)
        .pollInterval(Duration.ofMillis(100))
        .failFast("the hub process exited; see " + log, () -> !process.isAlive())
        .until(
            () -> {
              Matcher m = STARTED.matcher(Files.readString(log));
              if (m.find()) {
                port[0] = Integer.parseInt(m.group(1));
                return true;
              }
              return false;
            });
    this.startedSeconds = Stats.round((System.nanoTime() - t0) / 1e9);
    this.gatewayPort = port[0];
  }

  /** Starts {@code HubMain} and waits (up to {@code max}) until it logs "hub started". */
  static HubProcess start(Path kubeconfig, Path log, Duration max) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(FLAGS);
    // logback: the agent's SLF4J backend is on the test classpath too (issue 22)
    cmd.add("-Dslf4j.provider=ch.qos.logback.classic.spi.LogbackServiceProvider");
    cmd.addAll(List.of("-cp", cp, "io.kapro.hub.HubMain"));
    int httpPort = freePort();
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("KAPRO_") || k.equals("KUBECONFIG"));
    pb.environment()
        .putAll(
            Map.of(
                "KUBECONFIG",
                kubeconfig.toString(),
                "KAPRO_NAMESPACE",
                HubWorld.HUB_NS,
                "KAPRO_GATEWAY_ADDRESS",
                "127.0.0.1:0",
                "KAPRO_GATEWAY_DNS_NAMES",
                "localhost,127.0.0.1",
                "KAPRO_HTTP_ADDRESS",
                "127.0.0.1:" + httpPort,
                "KAPRO_LEADER_ELECTION",
                "false"));
    long t0 = System.nanoTime();
    Process p = pb.start();
    try {
      return new HubProcess(p, log, httpPort, t0, max);
    } catch (RuntimeException | IOException e) {
      p.destroyForcibly();
      throw e;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The hub's {@code kapro_agents_connected}, from its Prometheus endpoint. */
  long connected() throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher m = CONNECTED.matcher(r.body());
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  /**
   * Waits until the process uses under 5% of one CPU for 5 s in a row; returns the CPU seconds used
   * and 1 if it fell quiet (0 if {@code max} passed first).
   */
  double[] awaitQuiet(Duration max) throws Exception {
    double start = cpuSeconds();
    long deadline = System.nanoTime() + max.toNanos();
    int quiet = 0;
    double last = start;
    while (quiet < 5 && System.nanoTime() < deadline) {
      TimeUnit.SECONDS.sleep(1); // sampling the process's CPU once a second
      double now = cpuSeconds();
      quiet = now - last < 0.05 ? quiet + 1 : 0;
      last = now;
    }
    return new double[] {last - start, quiet >= 5 ? 1 : 0};
  }

  double cpuSeconds() {
    return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO).toMillis() / 1000.0;
  }

  double rssMiB() throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Stats.round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0);
      }
    }
    throw new IOException("no VmRSS for " + process.pid());
  }

  /** Open file descriptors of the hub process (sockets included). */
  long openFiles() throws IOException {
    try (var s = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
      return s.count();
    }
  }

  /** Heap in use ({@code jcmd GC.heap_info}), optionally after a full GC ({@code GC.run}). */
  double heapUsedMiB(boolean fullGc) throws Exception {
    if (fullGc) {
      jcmd("GC.run");
    }
    String info = jcmd("GC.heap_info");
    Matcher m = USED.matcher(info);
    if (!m.find()) {
      throw new IOException("jcmd GC.heap_info printed no 'used': " + info);
    }
    return Stats.round(Long.parseLong(m.group(1)) / 1024.0);
  }

  private String jcmd(String command) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process j =
        new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), command)
            .redirectErrorStream(true)
            .start();
    String text = new String(j.getInputStream().readAllBytes());
    if (!j.waitFor(120, TimeUnit.SECONDS)) {
      j.destroyForcibly();
      throw new IOException("jcmd " + command + " did not finish within 120 s");
    }
    return text;
  }

  String jvm() {
    return String.join(" ", FLAGS) + ", Java " + Runtime.version().feature();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
