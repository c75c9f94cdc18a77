package io.kapro.metrics.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny Prometheus exporter on 127.0.0.1 whose gauges the test sets: {@code GET /metrics} answers
 * the text exposition format with one line per series. A series that is removed disappears from the
 * next scrape (Prometheus then marks it stale), which is how a test makes "no data".
 */
public final class TestExporter implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, Double> series = new TreeMap<>();
  private final AtomicLong scrapes = new AtomicLong();

  private TestExporter(HttpServer server) {
    this.server = server;
  }

  public static TestExporter start() {
    try {
      HttpServer s =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      TestExporter e = new TestExporter(s);
      s.createContext("/metrics", e::serve);
      s.start();
      return e;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the test exporter: " + e.getMessage(), e);
    }
  }

  private void serve(com.sun.net.httpserver.HttpExchange x) throws IOException {
    StringBuilder body = new StringBuilder();
    synchronized (series) {
      series.forEach((name, v) -> body.append(name).append(' ').append(format(v)).append('\n'));
    }
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
    x.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = x.getResponseBody()) {
        out.write(bytes);
      }
    }
    x.close();
    scrapes.incrementAndGet();
  }

  private static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return Double.toString(v);
  }

  /**
   * Sets a series, written as in the exposition format, e.g. {@code error_ratio{cluster="prod-1"}}.
   */
  public void set(String seriesName, double value) {
    synchronized (series) {
      series.put(seriesName, value);
    }
  }

  /** Removes a series: the next scrape no longer has it. */
  public void remove(String seriesName) {
    synchronized (series) {
      series.remove(seriesName);
    }
  }

  /** How many times {@code /metrics} was scraped. */
  public long scrapes() {
    return scrapes.get();
  }

  /** {@code 127.0.0.1:<port>}, the scrape target. */
  public String target() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
