package io.kapro.hub.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kapro.api.v1alpha2.GateWhen;
import io.kapro.hub.gate.GateCheck;
import io.kapro.hub.gate.WebhookObservation;
import io.kapro.hub.gate.WebhookRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Against a real HTTP server on loopback (com.sun.net.httpserver). */
class WebhookGateClientTest {
  private static final WebhookRequest REQUEST =
      new WebhookRequest("run-1", "prod", 2, "checks", List.of("c1", "c2"), Map.of("app", "2.0.0"));

  private HttpServer server;
  private ExecutorService executor;
  private final CountDownLatch release = new CountDownLatch(1);
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private volatile String lastBody;
  private volatile String lastToken;
  private volatile String lastContentType;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    route("/pass", 200, "{\"pass\": true, \"message\": \"error budget ok\"}");
    route("/no", 200, "{\"pass\": false, \"message\": \"error budget\\nexhausted\"}");
    route("/error", 500, "{\"pass\": true}");
    route("/notjson", 200, "ok!");
    route("/nopass", 200, "{\"result\": \"ok\"}");
    route("/stringpass", 200, "{\"pass\": \"true\"}");
    route("/big", 200, "{\"pass\": true, \"pad\": \"" + "x".repeat(100_000) + "\"}");
    server.createContext(
        "/redirect",
        ex -> {
          hits.computeIfAbsent("/redirect", k -> new AtomicInteger()).incrementAndGet();
          ex.getResponseHeaders().add("Location", "/pass");
          ex.sendResponseHeaders(302, -1);
          ex.close();
        });
    server.createContext(
        "/slow",
        ex -> {
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          respond(ex, 200, "{\"pass\": true}");
        });
    server.start();
  }

  private void route(String path, int status, String body) {
    server.createContext(
        path,
        ex -> {
          hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
          lastBody = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          lastToken = ex.getRequestHeaders().getFirst("X-Token");
          lastContentType = ex.getRequestHeaders().getFirst("Content-Type");
          if (!ex.getRequestMethod().equals("POST")) {
            respond(ex, 405, "");
            return;
          }
          respond(ex, status, body);
        });
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
    ex.close();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private GateCheck.WebhookCheck gate(String path, Duration timeout) {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + path;
    return new GateCheck.WebhookCheck(
        "checks", GateWhen.BeforeStage, url, timeout, Map.of("X-Token", "s3cret"));
  }

  private int hits(String path) {
    return hits.getOrDefault(path, new AtomicInteger()).get();
  }

  @Test
  void passesOn2xxWithPassTrueAndSendsTheRequestAsJson() throws Exception {
    WebhookObservation o =
        new WebhookGateClient(true).call(gate("/pass", Duration.ofSeconds(5)), REQUEST);
    assertThat(o.pass()).isTrue();
    assertThat(o.message()).isEqualTo("webhook passed: error budget ok");
    assertThat(o.stage()).isEqualTo("prod");
    assertThat(o.wave()).isEqualTo(2);
    assertThat(o.gate()).isEqualTo("checks");
    JsonNode body = new ObjectMapper().readTree(lastBody);
    assertThat(body.get("run").asText()).isEqualTo("run-1");
    assertThat(body.get("clusters")).hasSize(2);
    assertThat(body.get("units").get("app").asText()).isEqualTo("2.0.0");
    assertThat(lastToken).isEqualTo("s3cret");
    assertThat(lastContentType).isEqualTo("application/json");
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/no         | webhook said no: error budget exhausted",
        "/error      | answered HTTP 500",
        "/notjson    | answer is not JSON",
        "/nopass     | no boolean \"pass\"",
        "/stringpass | no boolean \"pass\"",
        "/big        | answer larger than 65536 bytes",
        "/missing    | answered HTTP 404"
      })
  void failsOtherwiseWithAMessage(String path, String message) {
    WebhookObservation o =
        new WebhookGateClient(true).call(gate(path, Duration.ofSeconds(5)), REQUEST);
    assertThat(o.pass()).isFalse();
    assertThat(o.message()).contains(message).doesNotContain("\n");
  }

  @Test
  void doesNotFollowRedirects() {
    WebhookObservation o =
        new WebhookGateClient(true).call(gate("/redirect", Duration.ofSeconds(5)), REQUEST);
    assertThat(o.pass()).isFalse();
    assertThat(o.message()).contains("HTTP 302").contains("redirects are not followed");
    assertThat(hits("/redirect")).isEqualTo(1);
    assertThat(hits("/pass")).isZero();
  }

  @Test
  void failsWhenTheWebhookDoesNotAnswerInTime() {
    WebhookObservation o =
        new WebhookGateClient(true).call(gate("/slow", Duration.ofMillis(300)), REQUEST);
    assertThat(o.pass()).isFalse();
    assertThat(o.message()).isEqualTo("no answer within PT0.3S");
  }

  @Test
  void refusesLoopbackUnlessTheFleetAllowsPrivateDestinations() {
    WebhookObservation o =
        new WebhookGateClient(false).call(gate("/pass", Duration.ofSeconds(5)), REQUEST);
    assertThat(o.pass()).isFalse();
    assertThat(o.message())
        .contains("private address 127.0.0.1")
        .contains("allowPrivateDestinations");
    assertThat(hits("/pass")).as("no request was sent").isZero();
  }

  @Test
  void connectionRefusedIsAFailureNotAnException() throws IOException {
    int port;
    try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    GateCheck.WebhookCheck closed =
        new GateCheck.WebhookCheck(
            "checks",
            GateWhen.BeforeStage,
            "http://127.0.0.1:" + port + "/x",
            Duration.ofSeconds(2),
            Map.of());
    WebhookObservation o = new WebhookGateClient(true).call(closed, REQUEST);
    assertThat(o.pass()).isFalse();
    assertThat(o.message()).startsWith("could not call the webhook");
  }
}
