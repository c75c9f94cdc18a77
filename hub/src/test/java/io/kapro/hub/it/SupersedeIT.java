package io.kapro.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.agent.testing.MutableClock;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionPhase;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.HubOperator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A changed Promotion gets a new run; the old one is Superseded and its unfinished Targets stop.
 */
class SupersedeIT {
  private LocalKubeApi api;
  private KubernetesClient client;
  private HubFixture fixture;
  private HubOperator hub;
  private FakeAgents agents;
  private final MutableClock clock = new MutableClock();

  @BeforeEach
  void start() {
    api = LocalKubeApi.start();
    client = api.client();
    fixture = new HubFixture(client);
    fixture.fleet("shop");
    fixture.clusters("shop", "all", 3);
    fixture.plan("one-stage", HubFixture.stage("all", List.of("100%")));
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
  }

  @Test
  void aNewVersionSupersedesTheRunningOne() {
    agents.converges = t -> !t.getSpec().getCluster().equals("all-2"); // all-2 never answers
    fixture.promotion("web", "shop", "one-stage", "2.0.0");
    String first =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> fixture.currentRun("web"), r -> r != null);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                fixture.targets(first).stream()
                        .filter(
                            t ->
                                t.getStatus() != null
                                    && t.getStatus().getPhase() == TargetPhase.Converged)
                        .count()
                    == 2);

    client
        .resources(Promotion.class)
        .inNamespace("default")
        .withName("web")
        .edit(
            p -> {
              p.getSpec().getUnits().get(0).setVersion("2.0.1");
              return p;
            });
    String second =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> fixture.currentRun("web"), r -> r != null && !r.equals(first));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fixture.runPhase(first) == RunPhase.Superseded);
    // the old run's unfinished Target stops; only then does all-2's agent answer again
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                fixture.targets(first).stream()
                    .filter(t -> t.getSpec().getCluster().equals("all-2"))
                    .allMatch(t -> t.getStatus().getPhase() == TargetPhase.Superseded));
    agents.converges = t -> true;
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> fixture.runPhase(second) == RunPhase.Succeeded);

    List<Target> old = fixture.targets(first);
    assertThat(old)
        .filteredOn(t -> t.getSpec().getCluster().equals("all-2"))
        .singleElement()
        .satisfies(t -> assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Superseded));
    assertThat(old)
        .filteredOn(t -> !t.getSpec().getCluster().equals("all-2"))
        .allSatisfy(t -> assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Converged));
    assertThat(
            client
                .resources(io.kapro.api.v1alpha2.PromotionRun.class)
                .inNamespace("default")
                .withName(second)
                .get()
                .getSpec()
                .getSupersedes())
        .isEqualTo(first);
    assertThat(fixture.targets(second))
        .hasSize(3)
        .allSatisfy(
            t -> {
              assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Converged);
              assertThat(t.getSpec().getUnits().get(0).getVersion()).isEqualTo("2.0.1");
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                client
                        .resources(Promotion.class)
                        .inNamespace("default")
                        .withName("web")
                        .get()
                        .getStatus()
                        .getPhase()
                    == PromotionPhase.Succeeded);
  }
}
