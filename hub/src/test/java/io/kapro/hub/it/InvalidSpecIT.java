package io.kapro.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.agent.testing.MutableClock;
import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.hub.HubOperator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input at the reconcilers: an invalid plan fails the run with InvalidSpec; a missing Plan is
 * reported.
 */
class InvalidSpecIT {
  private LocalKubeApi api;
  private KubernetesClient client;
  private HubFixture fixture;
  private HubOperator hub;
  private final MutableClock clock = new MutableClock();

  @BeforeEach
  void start() {
    api = LocalKubeApi.start();
    client = api.client();
    fixture = new HubFixture(client);
    fixture.fleet("shop");
    fixture.clusters("shop", "a", 1);
    hub =
        HubOperator.start(
            client,
            new RecordingPublisher(clock),
            new HubOperator.Settings(clock, Duration.ofMillis(300)));
  }

  @AfterEach
  void stop() {
    hub.close();
    api.close();
  }

  @Test
  void aCyclicPlanFailsTheRunWithInvalidSpecAndNoTarget() {
    fixture.plan(
        "cyclic",
        HubFixture.stage("a", List.of("100%"), "b"),
        HubFixture.stage("b", List.of("100%"), "a"));
    fixture.promotion("web", "shop", "cyclic", "2.0.0");
    String run =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> fixture.currentRun("web"), r -> r != null);
    await().atMost(Duration.ofSeconds(30)).until(() -> fixture.runPhase(run) == RunPhase.Failed);
    PromotionRun r =
        client.resources(PromotionRun.class).inNamespace("default").withName(run).get();
    var ready =
        Conditions.find(r.getStatus().getConditions(), Kapro.ConditionTypes.READY).orElseThrow();
    assertThat(ready.getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(ready.getReason()).isEqualTo(Kapro.Reasons.INVALID_SPEC);
    assertThat(ready.getMessage())
        .startsWith("spec.stages[0].dependsOn: dependency cycle a -> b -> a");
    assertThat(fixture.targets(run)).isEmpty();
  }

  @Test
  void aPromotionOfAMissingPlanSaysSo() {
    fixture.promotion("web", "shop", "nowhere", "2.0.0");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Promotion p =
                  client.resources(Promotion.class).inNamespace("default").withName("web").get();
              return p.getStatus() != null
                  && Conditions.find(p.getStatus().getConditions(), Kapro.ConditionTypes.READY)
                      .map(c -> Kapro.Reasons.PLAN_NOT_FOUND.equals(c.getReason()))
                      .orElse(false);
            });
    assertThat(client.resources(PromotionRun.class).inNamespace("default").list().getItems())
        .isEmpty();
  }
}
