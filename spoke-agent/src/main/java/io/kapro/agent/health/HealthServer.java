package io.kapro.agent.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kapro.agent.Workers;
import io.kapro.agent.config.HealthConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP server (JDK {@code com.sun.net.httpserver}) with {@code /healthz} (the process runs
 * and its {@link Liveness} watchdogs are content), {@code /readyz} ({@link Readiness}) and {@code
 * /metrics} (Prometheus text format 0.0.4, {@link AgentMetrics}). GET and HEAD only. Binds to the
 * configured address, {@code 127.0.0.1} by default. Threads: the JDK server's dispatcher and its
 * idle-connection timer, and up to {@link #HANDLERS} workers that end when idle.
 */
public final class HealthServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HealthServer.class);

  /** Exchanges handled at once. */
  static final int HANDLERS = 8;

  private final HttpServer server;
  private final ExecutorService executor;

  private HealthServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts serving; {@code port 0} picks a free port (see {@link #port()}). */
  public static HealthServer start(HealthConfig config, Readiness readiness, AgentMetrics metrics) {
    return start(config, readiness, metrics, new Liveness());
  }

  /**
   * Starts serving; {@code /healthz} answers 503 naming the failing watchdog while {@code liveness}
   * reports one (a stalled pull loop), so the kubelet restarts the pod.
   */
  public static HealthServer start(
      HealthConfig config, Readiness readiness, AgentMetrics metrics, Liveness liveness) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(config.address(), config.port()), 16);
      // Issue 22: no thread waits between probes and scrapes (a worker ends 5 s after its last
      // exchange), and up to HANDLERS exchanges run at once, so a client that stops in the middle
      // of its request holds one worker, not the kubelet's next probe; past that the JDK server
      // closes the new connection.
      ExecutorService executor = Workers.shortLived("health-http", HANDLERS);
      server.setExecutor(executor);
      server.createContext(
          "/healthz",
          ex ->
              handle(
                  ex,
                  "/healthz",
                  () -> {
                    java.util.List<String> failing = liveness.failing();
                    return failing.isEmpty()
                        ? new Reply(200, "text/plain; charset=utf-8", "ok\n")
                        : new Reply(
                            503,
                            "text/plain; charset=utf-8",
                            "not alive: " + String.join("; ", failing) + "\n");
                  }));
      server.createContext(
          "/readyz",
          ex ->
              handle(
                  ex,
                  "/readyz",
                  () ->
                      readiness.ready()
                          ? new Reply(200, "text/plain; charset=utf-8", "ready\n")
                          : new Reply(
                              503,
                              "text/plain; charset=utf-8",
                              "not ready: " + String.join(", ", readiness.failing()) + "\n")));
      server.createContext(
          "/metrics",
          ex ->
              handle(
                  ex,
                  "/metrics",
                  () -> new Reply(200, AgentMetrics.CONTENT_TYPE, metrics.scrape())));
      server.createContext(
          "/",
          ex -> handle(ex, null, () -> new Reply(404, "text/plain; charset=utf-8", "not found\n")));
      server.start();
      LOG.info(
          "Health endpoints on http://{}:{}/", config.address(), server.getAddress().getPort());
      return new HealthServer(server, executor);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on "
              + config.address()
              + ":"
              + config.port()
              + " for health and metrics (set health.port)",
          e);
    }
  }

  /** The port actually bound. */
  public int port() {
    return server.getAddress().getPort();
  }

  private record Reply(int status, String contentType, String body) {}

  private static void handle(HttpExchange ex, String exactPath, Supplier<Reply> reply)
      throws IOException {
    try (ex) {
      Reply r;
      String method = ex.getRequestMethod();
      if (exactPath != null && !ex.getRequestURI().getPath().equals(exactPath)) {
        r = new Reply(404, "text/plain; charset=utf-8", "not found\n");
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        r = new Reply(405, "text/plain; charset=utf-8", "method not allowed\n");
      } else {
        r = reply.get();
      }
      byte[] body = r.body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", r.contentType);
      boolean head = method.equals("HEAD");
      ex.sendResponseHeaders(r.status, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
