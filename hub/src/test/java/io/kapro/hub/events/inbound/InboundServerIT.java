package io.kapro.hub.events.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.FleetSpec;
import io.kapro.api.v1alpha2.FleetUnit;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.hub.events.Signatures;
import io.kapro.hub.metrics.HubMetrics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The inbound endpoint on a real socket against the local API server: a signed (or bearer) build
 * event creates or updates the Promotion; a wrongly signed one gets 401 and creates nothing;
 * hostile input gets the status and field it deserves and changes nothing.
 */
class InboundServerIT {
  private static final byte[] KEY = "inbound-hmac-key".getBytes(StandardCharsets.UTF_8);
  private static final String TOKEN = "ci-token-0123456789";

  private LocalKubeApi api;
  private KubernetesClient client;
  private InboundServer server;
  private HubMetrics metrics;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    api = LocalKubeApi.start();
    client = api.client();
    Fleet fleet = new Fleet();
    fleet.getMetadata().setName("shop");
    FleetSpec spec = new FleetSpec();
    FleetUnit web = new FleetUnit();
    web.setName("web");
    spec.setUnits(List.of(web));
    fleet.setSpec(spec);
    client.resource(fleet).inNamespace("default").create();
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("kapro-inbound")
                .endMetadata()
                .withStringData(
                    Map.of("hmac", new String(KEY, StandardCharsets.UTF_8), "token", TOKEN))
                .build())
        .inNamespace("default")
        .create();
    metrics = new HubMetrics();
    server =
        InboundServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            client,
            metrics,
            Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    server.close();
    api.close();
  }

  private static String data(String version, String plan) {
    return "{\"fleet\":\"shop\",\"unit\":\"web\",\"version\":\""
        + version
        + "\""
        + (plan == null ? "" : ",\"plan\":\"" + plan + "\"")
        + "}";
  }

  private HttpResponse<String> binary(String ns, String id, String body, byte[] key, long t)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base() + "/v1/namespaces/" + ns + "/events"))
            .header("ce-specversion", "1.0")
            .header("ce-id", id)
            .header("ce-source", "/ci/shop")
            .header("ce-type", BuildTrigger.TYPE)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header(
          Signatures.HEADER,
          Signatures.header(key, t, ns + "." + id, body.getBytes(StandardCharsets.UTF_8)));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> signed(String id, String body) throws Exception {
    return binary("default", id, body, KEY, Instant.now().getEpochSecond());
  }

  private String base() {
    return "http://127.0.0.1:" + server.address().getPort();
  }

  private Promotion promotion() {
    return client.resources(Promotion.class).inNamespace("default").withName("shop-web").get();
  }

  @Test
  void wronglySignedGets401AndCreatesNothingThenCorrectlySignedCreatesThePromotion()
      throws Exception {
    var wrong =
        binary(
            "default",
            "build-1",
            data("1.5.0", "canary-then-prod"),
            "not-the-key".getBytes(StandardCharsets.UTF_8),
            Instant.now().getEpochSecond());
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains(Signatures.HEADER);
    var unsigned = binary("default", "build-1", data("1.5.0", "canary-then-prod"), null, 0);
    assertThat(unsigned.statusCode()).isEqualTo(401);
    var stale =
        binary(
            "default",
            "build-1",
            data("1.5.0", "canary-then-prod"),
            KEY,
            Instant.now().getEpochSecond() - 3600);
    assertThat(stale.statusCode()).isEqualTo(401);
    assertThat(promotion()).isNull();

    var ok = signed("build-1", data("1.5.0", "canary-then-prod"));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(202);
    assertThat(ok.body()).contains("\"action\":\"created\"").contains("shop-web");
    Promotion p = promotion();
    assertThat(p.getSpec().getFleet()).isEqualTo("shop");
    assertThat(p.getSpec().getPlan()).isEqualTo("canary-then-prod");
    assertThat(p.getSpec().getUnits())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.getName()).isEqualTo("web");
              assertThat(u.getVersion()).isEqualTo("1.5.0");
            });
    assertThat(p.getMetadata().getLabels()).containsEntry("kapro.io/fleet", "shop");

    // a signature is bound to the id: the same signature with another id fails
    String body = data("9.9.9", null);
    long t = Instant.now().getEpochSecond();
    String sig =
        Signatures.header(KEY, t, "default.build-1", body.getBytes(StandardCharsets.UTF_8));
    var moved =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/v1/namespaces/default/events"))
                .header("ce-specversion", "1.0")
                .header("ce-id", "build-evil")
                .header("ce-source", "/ci/shop")
                .header("ce-type", BuildTrigger.TYPE)
                .header("content-type", "application/json")
                .header(Signatures.HEADER, sig)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(moved.statusCode()).isEqualTo(401);
    assertThat(promotion().getSpec().getUnits().get(0).getVersion()).isEqualTo("1.5.0");
  }

  @Test
  void aSignatureIsBoundToItsNamespace() throws Exception {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("kapro-inbound")
                .endMetadata()
                .withStringData(Map.of("hmac", new String(KEY, StandardCharsets.UTF_8)))
                .build())
        .inNamespace("other")
        .create();
    String body = data("1.5.0", "canary-then-prod");
    long t = Instant.now().getEpochSecond();
    // signed for namespace default, sent to namespace other (same key): refused
    String forDefault =
        Signatures.header(KEY, t, "default.build-1", body.getBytes(StandardCharsets.UTF_8));
    var replayed =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/v1/namespaces/other/events"))
                .header("ce-specversion", "1.0")
                .header("ce-id", "build-1")
                .header("ce-source", "/ci/shop")
                .header("ce-type", BuildTrigger.TYPE)
                .header("content-type", "application/json")
                .header(Signatures.HEADER, forDefault)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(replayed.statusCode()).isEqualTo(401);
    assertThat(replayed.body()).contains("<t>.<namespace>.<ce-id>.<body>");
  }

  @Test
  void aNamespaceOverItsRateLimitGets429AndOthersAreNotAffected() throws Exception {
    server.limits(3, 0.001, InboundServer.READ_TIMEOUT);
    for (int i = 0; i < 3; i++) {
      assertThat(binary("default", "b" + i, data("1.0." + i, "p"), null, 0).statusCode())
          .isEqualTo(401);
    }
    var limited = binary("default", "b9", data("1.0.9", "p"), KEY, Instant.now().getEpochSecond());
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.body()).contains("rate limited");
    assertThat(binary("elsewhere", "b1", data("1.0.0", "p"), null, 0).statusCode()).isEqualTo(401);
  }

  @Test
  void aBodyThatTricklesInPastTheDeadlineIsRefused() throws Exception {
    server.limits(
        InboundServer.RATE_BURST, InboundServer.RATE_PER_MINUTE, java.time.Duration.ofMillis(500));
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.address().getPort())) {
      s.setSoTimeout(30_000);
      var out = s.getOutputStream();
      out.write(
          ("POST /v1/namespaces/default/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
                  + "content-type: application/json\r\n\r\n{")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      // the slow sender is cut off: a 408 when it can still be written, else the connection closes
      // (readLine answers null at end of stream; a still-open connection would time out instead)
      if (status != null) {
        assertThat(status).contains("408");
      }
    }
  }

  @Test
  void structuredWithBearerUpdatesAndAReplayedIdChangesNothing() throws Exception {
    assertThat(signed("build-1", data("1.5.0", "canary-then-prod")).statusCode()).isEqualTo(202);
    String structured =
        "{\"specversion\":\"1.0\",\"id\":\"build-2\",\"source\":\"/ci/shop\",\"type\":\""
            + BuildTrigger.TYPE
            + "\",\"data\":"
            + data("1.6.0", null)
            + "}";
    var update =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/v1/namespaces/default/events"))
                .header("content-type", "application/cloudevents+json; charset=utf-8")
                .header("authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(structured))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(update.statusCode()).as(update.body()).isEqualTo(202);
    assertThat(update.body()).contains("\"action\":\"updated\"");
    assertThat(promotion().getSpec().getUnits().get(0).getVersion()).isEqualTo("1.6.0");
    assertThat(promotion().getSpec().getPlan()).isEqualTo("canary-then-prod");

    // build-1 again (a retry or a replay inside the signature window): nothing moves back
    var replay = signed("build-1", data("1.5.0", "canary-then-prod"));
    assertThat(replay.statusCode()).isEqualTo(202);
    assertThat(replay.body()).contains("\"action\":\"duplicate\"");
    assertThat(promotion().getSpec().getUnits().get(0).getVersion()).isEqualTo("1.6.0");

    var badToken =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/v1/namespaces/default/events"))
                .header("content-type", "application/cloudevents+json")
                .header("authorization", "Bearer nope")
                .POST(HttpRequest.BodyPublishers.ofString(structured.replace("build-2", "b3")))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(badToken.statusCode()).isEqualTo(401);
  }

  @Test
  void hostileInputIsRefusedNamingTheFieldAndChangesNothing() throws Exception {
    var huge = signed("big", "{\"x\":\"" + "a".repeat(InboundServer.MAX_BODY) + "\"}");
    assertThat(huge.statusCode()).isEqualTo(413);

    var badJson = signed("bad", "{\"fleet\": ");
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(badJson.body()).contains("body: not valid JSON");

    var noVersion = signed("nov", "{\"fleet\":\"shop\",\"unit\":\"web\",\"plan\":\"p\"}");
    assertThat(noVersion.statusCode()).isEqualTo(400);
    assertThat(noVersion.body()).contains("data.version: missing");

    var badVersion = signed("badv", data("1.0 ; rm -rf", "p"));
    assertThat(badVersion.statusCode()).isEqualTo(400);
    assertThat(badVersion.body()).contains("data.version");

    var notObject = signed("arr", "[1,2]");
    assertThat(notObject.statusCode()).isEqualTo(400);
    assertThat(notObject.body()).contains("data: must be a JSON object");

    var noPlan = signed("nop", data("1.5.0", null));
    assertThat(noPlan.statusCode()).isEqualTo(400);
    assertThat(noPlan.body()).contains("data.plan: required");

    var unknownUnit =
        signed("unk", "{\"fleet\":\"shop\",\"unit\":\"db\",\"version\":\"1\",\"plan\":\"p\"}");
    assertThat(unknownUnit.statusCode()).isEqualTo(422);
    assertThat(unknownUnit.body()).contains("data.unit");

    var otherNamespace =
        binary("elsewhere", "x", data("1.5.0", "p"), KEY, Instant.now().getEpochSecond());
    assertThat(otherNamespace.statusCode()).isEqualTo(401);

    var noId =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/v1/namespaces/default/events"))
                .header("ce-specversion", "1.0")
                .header("ce-source", "/ci")
                .header("ce-type", BuildTrigger.TYPE)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(data("1", "p")))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(noId.statusCode()).isEqualTo(400);
    assertThat(noId.body()).contains("ce-id: missing");

    var notCloudEvent =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/v1/namespaces/default/events"))
                .header("content-type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(notCloudEvent.statusCode()).isEqualTo(415);

    var get =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/v1/namespaces/default/events")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);

    var traversal =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/v1/namespaces/../secrets/events"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(traversal.statusCode()).isEqualTo(404);

    assertThat(promotion()).isNull();
    assertThat(client.resources(Promotion.class).inNamespace("default").list().getItems())
        .isEmpty();

    // the same endpoint serves /metrics, with the outcomes just counted
    var scrape =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body())
        .contains("kapro_inbound_events_total{outcome=\"too_large\"} 1.0")
        .contains("kapro_inbound_events_total{outcome=\"malformed\"} 6.0")
        .contains("kapro_inbound_events_total{outcome=\"unauthenticated\"} 1.0")
        .contains("kapro_inbound_events_total{outcome=\"unprocessable\"} 1.0");
  }
}
