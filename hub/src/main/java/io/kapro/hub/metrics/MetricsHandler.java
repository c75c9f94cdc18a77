package io.kapro.hub.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Serves {@link HubMetrics#scrape()} at GET {@code /metrics} (Prometheus text format 0.0.4). */
public final class MetricsHandler implements HttpHandler {
  private final HubMetrics metrics;

  public MetricsHandler(HubMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!"GET".equals(ex.getRequestMethod())) {
        ex.getResponseHeaders().add("Allow", "GET");
        ex.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
