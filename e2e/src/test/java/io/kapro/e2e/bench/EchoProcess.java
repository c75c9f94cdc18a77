package io.kapro.e2e.bench;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kapro.hub.ca.HubCa;
import io.kapro.hub.ca.SecretCaStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ingestion baseline ({@link EchoGateway}) in its own process, for runs with more streams than
 * one process may hold with both ends (each loopback stream is two file descriptors, the limit here
 * is 20,000 per process). It serves a server certificate from the hub's CA, read from the CA Secret
 * the hub wrote (the kubeconfig in {@code KUBECONFIG}), so the same agents and certificates connect
 * to it; it stops when its standard input closes (the benchmark's JVM ends).
 */
final class EchoProcess implements AutoCloseable {
  private static final Pattern PORT = Pattern.compile("echo gateway on port (\\d+)");
  private final Process process;
  final int port;

  private EchoProcess(Process process, Path log) {
    this.process = process;
    int[] p = new int[1];
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(100))
        .failFast("the echo gateway exited; see " + log, () -> !process.isAlive())
        .until(
            () -> {
              Matcher m = PORT.matcher(Files.readString(log));
              if (m.find()) {
                p[0] = Integer.parseInt(m.group(1));
                return true;
              }
              return false;
            });
    this.port = p[0];
  }

  static EchoProcess start(Path kubeconfig, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx1g",
                    "-Dslf4j.provider=ch.qos.logback.classic.spi.LogbackServiceProvider",
                    "-cp",
                    cp,
                    EchoProcess.class.getName()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(Map.of("KUBECONFIG", kubeconfig.toString()));
    Process p = pb.start();
    try {
      return new EchoProcess(p, log);
    } catch (RuntimeException e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /** The echo gateway's process: CA from the hub's Secret, port on stdout, stops at stdin EOF. */
  public static void main(String[] args) throws Exception {
    HubCa ca;
    try (KubernetesClient k = new KubernetesClientBuilder().build()) {
      ca =
          HubCa.loadOrCreate(
              new SecretCaStore(k, HubWorld.HUB_NS, "kapro-hub-ca"), Clock.systemUTC());
    }
    try (EchoGateway echo = new EchoGateway(ca)) {
      System.out.println("echo gateway on port " + echo.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // runs until the parent closes our standard input
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // already gone
    }
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
