package io.kapro.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.agent.testing.MutableClock;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.HubOperator;
import io.kapro.hub.target.PublishRequest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** All progress lives in the API: a hub stopped mid-run and started again carries the run on. */
class RestartIT {
  private LocalKubeApi api;
  private KubernetesClient client;
  private HubFixture fixture;
  private final MutableClock clock = new MutableClock();

  @BeforeEach
  void start() {
    api = LocalKubeApi.start();
    client = api.client();
    fixture = new HubFixture(client);
    fixture.fleet("shop");
    fixture.clusters("shop", "early", 5);
    fixture.clusters("shop", "late", 3);
    fixture.plan(
        "two-stages",
        HubFixture.stage("early", List.of("1", "100%")),
        HubFixture.stage("late", List.of("100%"), "early"));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aHubStoppedAfterTheFirstWaveAndStartedAgainFinishesWithOneTargetPerClusterAndStage() {
    RecordingPublisher publisher = new RecordingPublisher(clock);
    HubOperator.Settings settings = new HubOperator.Settings(clock, Duration.ofMillis(300));
    HubOperator first = HubOperator.start(client, publisher, settings);
    String run;
    long inFlightAtStop;
    try (FakeAgents agents = new FakeAgents(client, "default", clock)) {
      fixture.promotion("web-2", "shop", "two-stages", "2.0.0");
      run =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> fixture.currentRun("web-2"), r -> r != null);
      // the first wave (one cluster) converges; stop the hub right there
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  fixture.targets(run).stream()
                      .anyMatch(
                          t ->
                              t.getStatus() != null
                                  && t.getStatus().getPhase() == TargetPhase.Converged));
      first.close();
      // only a Target still Publishing when the hub stopped can have its publish repeated
      inFlightAtStop =
          fixture.targets(run).stream()
              .filter(
                  t -> t.getStatus() != null && t.getStatus().getPhase() == TargetPhase.Publishing)
              .count();
      int before = fixture.targets(run).size();
      // stopped mid-run: some of the 8 Targets exist, not all (how many depends on how far the
      // hub got on a loaded machine between the first convergence and the stop)
      assertThat(before).isBetween(1, 7);

      HubOperator second = HubOperator.start(client, publisher, settings);
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> fixture.runPhase(run) == RunPhase.Succeeded);
      } finally {
        second.close();
      }
    }
    List<Target> targets = fixture.targets(run);
    Set<String> keys = new HashSet<>();
    targets.forEach(
        t ->
            assertThat(keys.add(t.getSpec().getStage() + "/" + t.getSpec().getCluster()))
                .as("one Target per cluster × stage")
                .isTrue());
    assertThat(keys).hasSize(8);
    assertThat(targets)
        .allSatisfy(t -> assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Converged));
    // Every Target was published. A Target whose publish was in flight when the first hub stopped
    // (pushed, status not yet written) may be published again by the second hub: that is the crash
    // contract (a new, higher sequence, same content), so at most one extra publish per Target,
    // and only for Targets that were still Publishing at the stop.
    Map<String, Long> perTarget =
        publisher.published.stream()
            .collect(Collectors.groupingBy(PublishRequest::target, Collectors.counting()));
    assertThat(perTarget).hasSize(8);
    assertThat(perTarget.values()).allSatisfy(n -> assertThat(n).isBetween(1L, 2L));
    assertThat(perTarget.values().stream().filter(n -> n == 2L).count())
        .as("re-published after the restart")
        .isLessThanOrEqualTo(inFlightAtStop);
  }
}
