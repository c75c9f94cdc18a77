package io.kapro.oci.testing;

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
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The real CNCF distribution registry ({@code /usr/bin/docker-registry}, override with system
 * property {@code kapro.registry.binary}) on 127.0.0.1 with a free port, its own storage directory
 * and config; plain HTTP, or TLS with a freshly generated CA plus htpasswd authentication. Stops on
 * {@link #close()} and at JVM exit. Usable from JUnit and from plain programs (the demo).
 *
 * <p>It knows no Kapro type (every module's tests use it, the oci module's too): a client builds
 * its {@code RegistryConfig} from {@link #host()}, {@link #caFile()} and {@link #username()}/{@link
 * #password()} (the oci tests' {@code Registries.config(registry)} does).
 */
public final class LocalRegistry implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(30);

  private volatile Process process;
  private final Path dir;
  private final int port;
  private final Path caFile;
  private final String username;
  private final String password;
  private final Thread shutdownHook;
  private TokenServer tokenServer;

  private LocalRegistry(
      Process process, Path dir, int port, Path caFile, String username, String password) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.caFile = caFile;
    this.username = username;
    this.password = password;
    this.shutdownHook =
        new Thread(() -> this.process.destroyForcibly(), "local-registry-stop-" + port);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** A plain-HTTP, anonymous registry. */
  public static LocalRegistry startPlain() {
    return start(false, null, null);
  }

  /** A TLS registry (own CA) that requires {@code username}/{@code password} (htpasswd, bcrypt). */
  public static LocalRegistry startTls(String username, String password) {
    return start(true, username, password);
  }

  /**
   * A plain-HTTP registry with token authentication: clients get a 401 with a {@code Bearer}
   * challenge and must fetch a token from a {@link TokenServer} with {@code username}/{@code
   * password}.
   */
  public static LocalRegistry startWithTokenAuth(String username, String password) {
    TokenServer tokens = TokenServer.start(username, password);
    try {
      LocalRegistry r = start(false, username, password, tokens);
      r.tokenServer = tokens;
      return r;
    } catch (RuntimeException e) {
      tokens.close();
      throw e;
    }
  }

  /** The token server of a {@link #startWithTokenAuth} registry, else null. */
  public TokenServer tokenServer() {
    return tokenServer;
  }

  private static LocalRegistry start(boolean tls, String username, String password) {
    return start(tls, username, password, null);
  }

  private static LocalRegistry start(
      boolean tls, String username, String password, TokenServer tokens) {
    try {
      Path dir = Files.createTempDirectory("kapro-registry-");
      Path storage = Files.createDirectories(dir.resolve("storage"));
      int port = freePort();
      StringBuilder yaml = new StringBuilder();
      yaml.append("version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\n");
      yaml.append("storage:\n  filesystem:\n    rootdirectory: ").append(storage).append('\n');
      yaml.append("  delete:\n    enabled: true\n");
      yaml.append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
      yaml.append("  secret: ")
          .append(Long.toHexString(new SecureRandom().nextLong()))
          .append('\n');
      Path ca = null;
      if (tls) {
        TestCa testCa = TestCa.create("kapro-test-registry-ca");
        ca = testCa.writeCertificate(dir.resolve("ca.crt"));
        testCa.issueServer("registry").write(dir.resolve("server.crt"), dir.resolve("server.key"));
        yaml.append("  tls:\n    certificate: ").append(dir.resolve("server.crt")).append('\n');
        yaml.append("    key: ").append(dir.resolve("server.key")).append('\n');
      }
      if (username != null && tokens == null) {
        Path htpasswd = dir.resolve("htpasswd");
        Files.writeString(htpasswd, htpasswdLine(username, password));
        yaml.append("auth:\n  htpasswd:\n    realm: kapro-test\n    path: ")
            .append(htpasswd)
            .append('\n');
      }
      if (tokens != null) {
        Path bundle = tokens.writeRootCertBundle(dir.resolve("token-signer.crt"));
        yaml.append("auth:\n  token:\n    realm: ").append(tokens.realm()).append('\n');
        yaml.append("    service: ").append(TokenServer.SERVICE).append('\n');
        yaml.append("    issuer: ").append(TokenServer.ISSUER).append('\n');
        yaml.append("    rootcertbundle: ").append(bundle).append('\n');
      }
      Path config = Files.writeString(dir.resolve("config.yml"), yaml.toString());
      Path log = dir.resolve("registry.log");
      String binary = System.getProperty("kapro.registry.binary", "/usr/bin/docker-registry");
      if (!Files.isExecutable(Path.of(binary))) {
        throw new IllegalStateException(
            binary
                + " not found: install the distribution registry (apt-get install docker-registry)"
                + " or set -Dkapro.registry.binary");
      }
      Process p =
          new ProcessBuilder(List.of(binary, "serve", config.toString()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      LocalRegistry r = new LocalRegistry(p, dir, port, ca, username, password);
      r.awaitListening(log);
      return r;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the local registry: " + e.getMessage(), e);
    }
  }

  /** {@code 127.0.0.1:<port>}. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** {@code http://…} or {@code https://…}. */
  public String url() {
    return (caFile == null ? "http://" : "https://") + host();
  }

  /** The CA certificate (PEM) of a TLS registry, or null for plain HTTP. */
  public Path caFile() {
    return caFile;
  }

  /** Whether clients must use TLS (then trusting {@link #caFile()}). */
  public boolean tls() {
    return caFile != null;
  }

  /** The user a client must authenticate as (htpasswd or token), or null for an anonymous one. */
  public String username() {
    return username;
  }

  /** That user's password, or null. */
  public String password() {
    return password;
  }

  public Path storageDir() {
    return dir.resolve("storage");
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /**
   * Stops the registry process but keeps its storage and configuration, as an outage would; {@link
   * #restart()} brings it back with the same content on the same port.
   */
  public synchronized void stop() {
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

  /** Starts the registry again after {@link #stop()}, on the same port with the same storage. */
  public synchronized void restart() {
    if (process.isAlive()) {
      return;
    }
    String binary = System.getProperty("kapro.registry.binary", "/usr/bin/docker-registry");
    Path log = dir.resolve("registry.log");
    try {
      process =
          new ProcessBuilder(List.of(binary, "serve", dir.resolve("config.yml").toString()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      awaitListening(log);
    } catch (IOException e) {
      throw new IllegalStateException("cannot restart the local registry: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (tokenServer != null) {
      tokenServer.close();
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // JVM already shutting down
    }
    deleteTree(dir);
  }

  private void awaitListening(Path log) throws IOException {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the registry exited with "
                + process.exitValue()
                + ": "
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          process.waitFor(50, TimeUnit.MILLISECONDS); // returns early if it dies
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the registry", e);
        }
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        "the registry did not listen on "
            + host()
            + " within "
            + STARTUP
            + ": "
            + Files.readString(log));
  }

  static String htpasswdLine(String username, String password) {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    return username + ":" + OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 5) + "\n";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) {
    try (var s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // temporary directory; harmless to leave behind
    }
  }
}
