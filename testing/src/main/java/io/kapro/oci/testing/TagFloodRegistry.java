package io.kapro.oci.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hostile registry on loopback (plain HTTP) whose every repository lists {@code count} tags
 * ({@code v0.0.0} … ), served the way distribution pages them: {@code ?n=&last=} and a {@code Link:
 * <…>; rel="next"} header. Nothing else is served (manifests answer 404). It counts the tag pages
 * it served, so a test can show the client stopped early.
 */
public final class TagFloodRegistry implements AutoCloseable {
  private final HttpServer server;
  private final int count;
  private final AtomicLong pages = new AtomicLong();

  private TagFloodRegistry(HttpServer server, int count) {
    this.server = server;
    this.count = count;
  }

  public static TagFloodRegistry start(int count) {
    try {
      HttpServer s =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      TagFloodRegistry r = new TagFloodRegistry(s, count);
      s.createContext("/v2/", r::handle);
      s.start();
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code 127.0.0.1:<port>}. */
  public String hostAndPort() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Tag list pages served so far. */
  public long pagesServed() {
    return pages.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (!path.endsWith("/tags/list")) {
        ex.sendResponseHeaders(path.equals("/v2/") ? 200 : 404, -1);
        return;
      }
      pages.incrementAndGet();
      Map<String, String> q = query(ex.getRequestURI().getRawQuery());
      int n = Math.min(1000, Integer.parseInt(q.getOrDefault("n", "100")));
      int start = q.containsKey("last") ? index(q.get("last")) + 1 : 0;
      int end = Math.min(count, start + n);
      StringBuilder b = new StringBuilder("{\"name\":\"flood\",\"tags\":[");
      for (int i = start; i < end; i++) {
        b.append(i > start ? "," : "").append("\"v0.0.").append(i).append('"');
      }
      b.append("]}");
      if (end < count) {
        ex.getResponseHeaders()
            .add("Link", "<" + path + "?n=" + n + "&last=v0.0." + (end - 1) + ">; rel=\"next\"");
      }
      byte[] out = b.toString().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, out.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    }
  }

  private static int index(String tag) {
    return Integer.parseInt(tag.substring(tag.lastIndexOf('.') + 1));
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw != null) {
      for (String kv : raw.split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          out.put(
              kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
