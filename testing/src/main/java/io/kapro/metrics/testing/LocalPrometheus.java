package io.kapro.metrics.testing;

import io.kapro.agent.testing.TestCa;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The real Prometheus server (Debian's {@code /usr/bin/prometheus}, override with system property
 * {@code kapro.prometheus.binary}) on 127.0.0.1 with a free port, its own config and a temporary
 * TSDB directory, scraping the given targets every second. Optionally TLS with a fresh CA and basic
 * authentication (its {@code --web.config.file}). {@link #stop()} makes it unreachable ("Prometheus
 * down"); {@link #close()} stops it and removes its files, also at JVM exit.
 */
public final class LocalPrometheus implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final Process process;
  private final Path dir;
  private final int port;
  private final String caPem;
  private final String username;
  private final String password;
  private final Thread shutdownHook;

  private LocalPrometheus(
      Process process, Path dir, int port, String caPem, String username, String password) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.caPem = caPem;
    this.username = username;
    this.password = password;
    this.shutdownHook = new Thread(process::destroyForcibly, "local-prometheus-stop-" + port);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Plain HTTP, no authentication, scraping {@code targets} (host:port) every second. */
  public static LocalPrometheus start(String... targets) {
    return start(false, null, null, targets);
  }

  /** HTTPS with its own CA and basic authentication as {@code username}/{@code password}. */
  public static LocalPrometheus startTls(String username, String password, String... targets) {
    return start(true, username, password, targets);
  }

  private static LocalPrometheus start(
      boolean tls, String username, String password, String... targets) {
    try {
      Path dir = Files.createTempDirectory("kapro-prometheus-");
      int port = freePort();
      StringBuilder yaml = new StringBuilder();
      yaml.append("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n");
      yaml.append("scrape_configs:\n  - job_name: test\n    static_configs:\n      - targets: [");
      List<String> quoted = new ArrayList<>();
      for (String t : targets) {
        quoted.add("'" + t + "'");
      }
      yaml.append(String.join(", ", quoted)).append("]\n");
      Path config = Files.writeString(dir.resolve("prometheus.yml"), yaml.toString());
      List<String> cmd = new ArrayList<>();
      cmd.add(System.getProperty("kapro.prometheus.binary", "/usr/bin/prometheus"));
      if (!Files.isExecutable(Path.of(cmd.getFirst()))) {
        throw new IllegalStateException(
            cmd.getFirst()
                + " not found: install Prometheus (apt-get install prometheus) or set"
                + " -Dkapro.prometheus.binary");
      }
      cmd.add("--config.file=" + config);
      cmd.add("--storage.tsdb.path=" + Files.createDirectories(dir.resolve("data")));
      cmd.add("--web.listen-address=127.0.0.1:" + port);
      cmd.add("--log.level=warn");
      String ca = null;
      if (tls) {
        TestCa testCa = TestCa.create("kapro-test-prometheus-ca");
        ca = TestCa.pem(testCa.certificate());
        testCa
            .issueServer("prometheus")
            .write(dir.resolve("server.crt"), dir.resolve("server.key"));
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        String web =
            "tls_server_config:\n  cert_file: "
                + dir.resolve("server.crt")
                + "\n  key_file: "
                + dir.resolve("server.key")
                + "\nbasic_auth_users:\n  "
                + username
                + ": '"
                + OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 5)
                + "'\n";
        cmd.add("--web.config.file=" + Files.writeString(dir.resolve("web.yml"), web));
      }
      Path log = dir.resolve("prometheus.log");
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      LocalPrometheus prom = new LocalPrometheus(p, dir, port, ca, username, password);
      prom.awaitListening(log);
      return prom;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start Prometheus: " + e.getMessage(), e);
    }
  }

  /** {@code http://127.0.0.1:<port>} or {@code https://…}. */
  public String url() {
    return (caPem == null ? "http" : "https") + "://127.0.0.1:" + port;
  }

  /** The PEM CA of a TLS server, else null. */
  public String caPem() {
    return caPem;
  }

  public String username() {
    return username;
  }

  public String password() {
    return password;
  }

  /** Stops the server (an outage); its address then refuses connections. */
  public void stop() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // JVM already shutting down
    }
    try (var s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // temporary directory; harmless to leave behind
    }
  }

  private void awaitListening(Path log) throws IOException {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Prometheus exited with "
                + process.exitValue()
                + ": "
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          process.waitFor(50, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for Prometheus", e);
        }
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        "Prometheus did not listen on 127.0.0.1:"
            + port
            + " within "
            + STARTUP
            + ": "
            + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
