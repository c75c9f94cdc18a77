package io.kapro.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.agent.config.HealthConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthServerTest {
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final Readiness readiness = new Readiness();
  final AgentMetrics metrics = new AgentMetrics();
  HealthServer server;

  @BeforeEach
  void start() {
    server = HealthServer.start(new HealthConfig("127.0.0.1", 0), readiness, metrics);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(5))
            .build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthzAlwaysAndReadyzOnlyWhenConfigLoadedAndSourceReached() throws Exception {
    assertThat(send("GET", "/healthz").statusCode()).isEqualTo(200);
    HttpResponse<String> notReady = send("GET", "/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).contains("config-loaded").contains("bundle-source-reached");
    readiness.configLoaded();
    assertThat(send("GET", "/readyz").body())
        .doesNotContain("config-loaded")
        .contains("bundle-source-reached");
    readiness.sourceReached();
    assertThat(send("GET", "/readyz").statusCode()).isEqualTo(200);
    readiness.set("certificate", false);
    assertThat(send("GET", "/readyz").body()).isEqualTo("not ready: certificate\n");
  }

  @Test
  void metricsExposeEveryAgentMeter() throws Exception {
    metrics.pull("changed");
    metrics.pull("unchanged");
    metrics.pull("unchanged");
    metrics.verificationFailure("UNTRUSTED_KEY");
    metrics.recordApply(Duration.ofMillis(120));
    metrics.recordConverge(Duration.ofSeconds(42));
    metrics.reconnect();
    metrics.outboxDepth(() -> 7);
    metrics.appliedSequence(12);
    HttpResponse<String> r = send("GET", "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body())
        .contains("kapro_agent_pulls_total{result=\"unchanged\"} 2.0")
        .contains("kapro_agent_pulls_total{result=\"changed\"} 1.0")
        .contains("kapro_agent_pulls_total{result=\"error\"} 0.0")
        .contains("kapro_agent_verification_failures_total{reason=\"UNTRUSTED_KEY\"} 1.0")
        .contains("kapro_agent_apply_seconds_count 1")
        .contains("kapro_agent_converge_seconds_sum 42.0")
        .contains("kapro_agent_reconnects_total 1.0")
        .contains("kapro_agent_outbox_depth 7.0")
        .contains("kapro_agent_applied_sequence 12.0");
    assertThatThrownBy(() -> metrics.pull("maybe")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hostileRequests() throws Exception {
    assertThat(send("POST", "/metrics").statusCode()).isEqualTo(405);
    assertThat(send("DELETE", "/readyz").statusCode()).isEqualTo(405);
    assertThat(send("GET", "/healthz/../metrics").statusCode()).isIn(400, 404);
    assertThat(send("GET", "/metricsx").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/").statusCode()).isEqualTo(404);
    HttpResponse<String> head = send("HEAD", "/healthz");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void clientsThatSendTheirRequestSlowlyDoNotHoldUpTheProbes() throws Exception {
    // issue 22: exchanges run on up to HANDLERS workers; with one handler thread, a client that
    // stopped in the middle of its request line held every later probe until it left
    java.util.List<java.net.Socket> slow = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < HealthServer.HANDLERS - 2; i++) {
        java.net.Socket s = new java.net.Socket("127.0.0.1", server.port());
        s.getOutputStream().write("GET /hea".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        slow.add(s);
      }
      assertThat(send("GET", "/healthz").statusCode()).isEqualTo(200);
      assertThat(send("GET", "/metrics").body()).contains("kapro_agent_pulls_total");
    } finally {
      for (java.net.Socket s : slow) {
        s.close();
      }
    }
  }

  @Test
  void aBusyPortIsAClearError() {
    assertThatThrownBy(
            () ->
                HealthServer.start(
                    new HealthConfig("127.0.0.1", server.port()), readiness, metrics))
        .hasMessageContaining("127.0.0.1:" + server.port())
        .hasMessageContaining("health.port");
  }
}
