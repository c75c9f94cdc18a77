package io.kapro.hub.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kapro.hub.events.Signatures;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback CloudEvents sink: records every binary-mode delivery with whether its signature
 * verifies. It can answer 503 ({@code failing}) or be stopped and started again on the same port.
 */
final class EventReceiver implements AutoCloseable {
  /** One delivery as received. */
  record Received(
      String id, String type, String source, String subject, JsonNode data, boolean signed) {
    /** type:stage/wave, or type:stage, or type. */
    String label() {
      String t = type.substring("io.kapro.".length());
      String stage = data.path("stage").asText(null);
      if (stage == null) {
        return t;
      }
      return data.has("wave") ? t + ":" + stage + "/" + data.get("wave").asInt() : t + ":" + stage;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  final List<Received> received = new CopyOnWriteArrayList<>();
  volatile boolean failing;
  private final byte[] key;
  private final int port;
  private HttpServer server;

  EventReceiver(byte[] key) throws IOException {
    this.key = key;
    this.server = bind(0);
    this.port = server.getAddress().getPort();
  }

  String url() {
    return "http://127.0.0.1:" + port + "/hook";
  }

  synchronized void stop() {
    server.stop(0);
    server = null;
  }

  synchronized void restart() throws IOException {
    server = bind(port);
  }

  private HttpServer bind(int p) throws IOException {
    HttpServer s =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 16);
    s.createContext("/hook", this::handle);
    s.start();
    return s;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      if (failing) {
        ex.sendResponseHeaders(503, -1);
        return;
      }
      var h = ex.getRequestHeaders();
      String id = h.getFirst("ce-id");
      boolean signed =
          Signatures.verify(
              key,
              h.getFirst(Signatures.HEADER),
              id,
              body,
              java.time.Instant.now().getEpochSecond());
      boolean binary =
          "1.0".equals(h.getFirst("ce-specversion"))
              && h.getFirst("ce-source") != null
              && h.getFirst("ce-time") != null
              && "application/json".equals(h.getFirst("content-type"));
      if (!binary) {
        ex.sendResponseHeaders(400, -1);
        return;
      }
      received.add(
          new Received(
              id,
              h.getFirst("ce-type"),
              h.getFirst("ce-source"),
              h.getFirst("ce-subject"),
              JSON.readTree(body),
              signed));
      ex.sendResponseHeaders(204, -1);
    }
  }

  /** Distinct events by id, in first-arrival order (at-least-once may repeat an id). */
  List<Received> distinct() {
    Map<String, Received> byId = new java.util.LinkedHashMap<>();
    received.forEach(r -> byId.putIfAbsent(r.id(), r));
    return List.copyOf(byId.values());
  }

  List<String> labels() {
    return distinct().stream().map(Received::label).toList();
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
    }
  }
}
