package io.kapro.hub.events.inbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.hub.events.inbound.InboundException.Reason;
import io.kapro.hub.metrics.HubMetrics;
import io.kapro.hub.metrics.MetricsHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's HTTP endpoint: {@code POST /v1/namespaces/<ns>/events} takes a CloudEvent (binary or
 * structured), authenticates it with the namespace's {@link InboundAuth} Secret and hands it to the
 * {@link BuildTrigger}; {@code GET /metrics} serves the Prometheus meters. Answers JSON: 202 {@code
 * {promotion, action}} or an error {@code {error}} naming the field.
 */
public final class InboundServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InboundServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PATH =
      Pattern.compile("/v1/namespaces/([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)/events/?");

  /** Largest accepted body. */
  public static final int MAX_BODY = 64 * 1024;

  private static final long DRAIN_LIMIT = 1024 * 1024;

  /** Requests per namespace: a burst of this many, then {@link #RATE_PER_MINUTE}. */
  public static final int RATE_BURST = 30;

  public static final int RATE_PER_MINUTE = 120;

  /** The most a request body may take to arrive (slow senders are cut off). */
  public static final java.time.Duration READ_TIMEOUT = java.time.Duration.ofSeconds(10);

  private final java.util.Map<String, double[]> buckets =
      new java.util.concurrent.ConcurrentHashMap<>();
  private int burst = RATE_BURST;
  private double perMinute = RATE_PER_MINUTE;
  private java.time.Duration readTimeout = READ_TIMEOUT;

  private final HttpServer server;
  private final ExecutorService executor;
  private final InboundAuth auth;
  private final BuildTrigger trigger;
  private final io.kapro.hub.source.SourceCheckTrigger sourceCheck;
  private final HubMetrics metrics;

  private InboundServer(
      HttpServer server,
      ExecutorService executor,
      KubernetesClient client,
      HubMetrics metrics,
      Clock clock) {
    this.server = server;
    this.executor = executor;
    this.auth = new InboundAuth(client, clock);
    this.trigger = new BuildTrigger(client);
    this.sourceCheck = new io.kapro.hub.source.SourceCheckTrigger(client, clock);
    this.metrics = metrics;
  }

  /** Sets the per-namespace rate limit and the body deadline (tests use small ones). */
  public InboundServer limits(int burst, double perMinute, java.time.Duration readTimeout) {
    this.burst = burst;
    this.perMinute = perMinute;
    this.readTimeout = readTimeout;
    return this;
  }

  /** Takes one request from the namespace's token bucket; false when it is empty. */
  private boolean admit(String ns) {
    if (buckets.size() > 10_000) {
      buckets.clear(); // bounded memory; namespaces come from the path
    }
    double[] b = buckets.computeIfAbsent(ns, k -> new double[] {burst, System.nanoTime()});
    synchronized (b) {
      long now = System.nanoTime();
      b[0] = Math.min(burst, b[0] + (now - (long) b[1]) / 60e9 * perMinute);
      b[1] = now;
      if (b[0] < 1) {
        return false;
      }
      b[0] -= 1;
      return true;
    }
  }

  /** Binds {@code address} (port 0 picks a free one) and starts serving. */
  public static InboundServer start(
      InetSocketAddress address, KubernetesClient client, HubMetrics metrics, Clock clock)
      throws IOException {
    HttpServer http = HttpServer.create(address, 64);
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    InboundServer s = new InboundServer(http, executor, client, metrics, clock);
    http.createContext("/v1/namespaces/", s::handle);
    http.createContext("/metrics", new MetricsHandler(metrics));
    http.setExecutor(executor);
    http.start();
    LOG.info("hub HTTP endpoint (inbound events, /metrics) on {}", http.getAddress());
    return s;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      int status;
      Map<String, String> answer;
      try {
        Matcher m = PATH.matcher(ex.getRequestURI().getPath());
        if (!m.matches()) {
          throw new InboundException(
              Reason.NOT_FOUND, "path: use /v1/namespaces/<namespace>/events");
        }
        if (!"POST".equals(ex.getRequestMethod())) {
          throw new InboundException(Reason.METHOD_NOT_ALLOWED, "method: use POST");
        }
        String ns = m.group(1);
        if (!admit(ns)) {
          throw new InboundException(
              Reason.RATE_LIMITED,
              "rate limited: at most "
                  + (long) perMinute
                  + " requests a minute per namespace (burst "
                  + burst
                  + "); retry later");
        }
        byte[] body = readWithin(ex, readTimeout);
        var headers = ex.getRequestHeaders();
        InboundEvent event = InboundEvent.parse(headers::getFirst, body);
        auth.check(ns, headers::getFirst, event.id(), body);
        BuildTrigger.Outcome o =
            io.kapro.hub.source.SourceCheckTrigger.TYPE.equals(event.type())
                ? sourceCheck.apply(ns, event)
                : trigger.apply(ns, event);
        LOG.info(
            "inbound {} {} in {}: Promotion {} {}",
            event.type(),
            event.id(),
            ns,
            o.promotion(),
            o.action());
        metrics.inboundEvent(o.action());
        status = 202;
        answer = Map.of("promotion", o.promotion(), "action", o.action(), "id", event.id());
      } catch (InboundException e) {
        metrics.inboundEvent(e.reason().name().toLowerCase(java.util.Locale.ROOT));
        LOG.info("inbound event refused ({}): {}", e.reason().status(), e.getMessage());
        status = e.reason().status();
        answer = Map.of("error", e.getMessage());
        if (e.reason() == Reason.TOO_LARGE) {
          drain(ex);
        }
      } catch (RuntimeException e) {
        LOG.warn("inbound event failed", e);
        metrics.inboundEvent("error");
        status = 503;
        answer = Map.of("error", "the hub could not apply the event now; retry later");
      }
      byte[] out = JSON.writeValueAsBytes(answer);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      if (status == 401) {
        ex.getResponseHeaders().add("WWW-Authenticate", "Bearer, KaproHmac");
      }
      ex.sendResponseHeaders(status, out.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
        os.flush(); // on the wire before close, which may cut a half-read body's connection
      }
    }
  }

  /** {@link #read} with a deadline: a body that trickles in slower is refused (408). */
  private byte[] readWithin(HttpExchange ex, java.time.Duration timeout) throws IOException {
    java.util.concurrent.Future<byte[]> f = executor.submit(() -> read(ex));
    try {
      return f.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      f.cancel(true);
      ex.getResponseHeaders().add("Connection", "close");
      throw new InboundException(
          Reason.TIMED_OUT, "body: not received within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof InboundException ie) {
        throw ie;
      }
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static byte[] read(HttpExchange ex) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > MAX_BODY) {
          throw tooLarge();
        }
      } catch (NumberFormatException e) {
        throw new InboundException(Reason.MALFORMED, "Content-Length: not a number");
      }
    }
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readNBytes(MAX_BODY + 1);
      if (b.length > MAX_BODY) {
        throw tooLarge();
      }
      return b;
    }
  }

  /**
   * Reads and discards up to {@link #DRAIN_LIMIT} more bytes of a refused body, so the client gets
   * to read the 413 instead of a reset connection; beyond that the connection is simply closed.
   */
  private static void drain(HttpExchange ex) {
    ex.getResponseHeaders().add("Connection", "close");
    try {
      InputStream in = ex.getRequestBody();
      byte[] buf = new byte[8192];
      long total = 0;
      int n;
      while (total < DRAIN_LIMIT && (n = in.read(buf)) > 0) {
        total += n;
      }
    } catch (IOException ignored) {
      // the client went away; nothing to answer
    }
  }

  private static InboundException tooLarge() {
    return new InboundException(Reason.TOO_LARGE, "body: larger than " + MAX_BODY + " bytes");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
