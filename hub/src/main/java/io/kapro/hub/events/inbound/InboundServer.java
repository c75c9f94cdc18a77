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

  private final HttpServer server;
  private final ExecutorService executor;
  private final InboundAuth auth;
  private final BuildTrigger trigger;
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
    this.metrics = metrics;
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
        byte[] body = read(ex);
        var headers = ex.getRequestHeaders();
        InboundEvent event = InboundEvent.parse(headers::getFirst, body);
        auth.check(ns, headers::getFirst, event.id(), body);
        BuildTrigger.Outcome o = trigger.apply(ns, event);
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
      }
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
