package io.kapro.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.agent.testing.MutableClock;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Gate;
import io.kapro.api.v1alpha2.GateResult;
import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.Stage;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.WebhookGate;
import io.kapro.hub.HubOperator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A webhook gate through the reconcilers, against a real HTTP server on loopback. */
class WebhookGateIT {
  private LocalKubeApi api;
  private KubernetesClient client;
  private HubFixture fixture;
  private HubOperator hub;
  private FakeAgents agents;
  private HttpServer server;
  private final AtomicInteger calls = new AtomicInteger();
  private final MutableClock clock = new MutableClock();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/gate",
        ex -> {
          calls.incrementAndGet();
          ex.getRequestBody().readAllBytes();
          byte[] body =
              "{\"pass\": true, \"message\": \"error budget ok\"}".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    api = LocalKubeApi.start();
    client = api.client();
    fixture = new HubFixture(client);
    hub =
        HubOperator.start(
            client,
            new RecordingPublisher(clock),
            new HubOperator.Settings(clock, Duration.ofMillis(300)));
    agents = new FakeAgents(client, "default", clock);
  }

  @AfterEach
  void stop() {
    agents.close();
    hub.close();
    api.close();
    server.stop(0);
  }

  @ParameterizedTest(name = "allowPrivateDestinations={0}")
  @ValueSource(booleans = {true, false})
  void webhookGateAsksTheServerOncePerWave(boolean allowPrivate) {
    fixture.fleet("shop", allowPrivate);
    fixture.clusters("shop", "prod", 2);
    Stage prod = HubFixture.stage("prod", List.of("100%"));
    Gate gate = new Gate();
    gate.setName("slo");
    gate.setType(GateType.Webhook);
    WebhookGate hook = new WebhookGate();
    hook.setUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/gate");
    hook.setTimeout("2s");
    gate.setWebhook(hook);
    prod.setGates(List.of(gate));
    fixture.plan("hooked", prod);
    fixture.promotion("web", "shop", "hooked", "2.0.0");
    String run =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> fixture.currentRun("web"), r -> r != null);
    RunPhase expected = allowPrivate ? RunPhase.Succeeded : RunPhase.Halted;
    await().atMost(Duration.ofSeconds(30)).until(() -> fixture.runPhase(run) == expected);
    if (allowPrivate) {
      assertThat(calls.get()).isEqualTo(1);
      assertThat(fixture.targets(run))
          .hasSize(2)
          .allSatisfy(
              t -> {
                assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Converged);
                assertThat(t.getStatus().getGates())
                    .singleElement()
                    .satisfies(
                        g -> {
                          assertThat(g.getResult()).isEqualTo(GateResult.Passed);
                          assertThat(g.getMessage()).isEqualTo("webhook passed: error budget ok");
                        });
              });
    } else {
      assertThat(calls.get()).as("a private destination is never called").isZero();
      // the run's status (Halted) is written before its Targets: wait for the Targets too
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(fixture.targets(run))
                      .hasSize(2)
                      .allSatisfy(
                          t -> {
                            assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Failed);
                            assertThat(t.getStatus().getMessage())
                                .contains("private address 127.0.0.1");
                          }));
    }
  }
}
