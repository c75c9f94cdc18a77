package io.kapro.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.agent.testing.MutableClock;
import io.kapro.api.Conditions;
import io.kapro.api.Examples;
import io.kapro.api.Kapro;
import io.kapro.api.testing.Kubectl;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.HubOperator;
import io.kapro.hub.publish.FleetPublisher;
import io.kapro.oci.sign.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Status where people look: the quickstart applied without its signing Secret, the real hub and
 * publisher. The Fleet says it is not Ready and names the Secret, the canary's Target says why its
 * bundle is not published, {@code kubectl get fleets,plans} shows Ready and counts, and an invalid
 * Plan names its problem.
 */
class FleetPlanStatusIT {
  private LocalKubeApi api;
  private KubernetesClient client;
  private HubOperator hub;
  private final MutableClock clock = new MutableClock();

  @BeforeEach
  void start() throws Exception {
    api = LocalKubeApi.start();
    client = api.client();
    Path quickstart = Examples.repoRoot().resolve("examples/quickstart");
    try (Stream<Path> files = Files.list(quickstart)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (var m : Examples.read(f)) {
          client.resource(Examples.typed(m.object())).inNamespace("default").create();
        }
      }
    }
    hub =
        HubOperator.start(
            client,
            new FleetPublisher(client, clock),
            new HubOperator.Settings(clock, Duration.ofMillis(300)));
  }

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
    api.close();
  }

  @Test
  void aFleetWithoutItsSigningSecretIsNotReadyAndSoAreTheTargetsWaitingOnIt() {
    Condition fleetReady =
        await().atMost(Duration.ofSeconds(30)).until(() -> fleetReady(), c -> c != null);
    assertThat(fleetReady.getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(fleetReady.getReason()).isEqualTo(Kapro.Reasons.INVALID_SPEC);
    assertThat(fleetReady.getMessage())
        .contains("spec.signing.keySecretRef", "Secret default/kapro-signing", "does not exist");
    assertThat(fleet().getStatus().getClusters()).isEqualTo(3);

    // the canary's Target stays Publishing and says why, with the same words
    Target canary =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    client.resources(Target.class).inNamespace("default").list().getItems().stream()
                        .filter(t -> published(t).isPresent())
                        .findFirst()
                        .orElse(null),
                t -> t != null);
    assertThat(canary.getStatus().getPhase()).isEqualTo(TargetPhase.Publishing);
    Condition blocked = published(canary).orElseThrow();
    assertThat(blocked.getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(blocked.getReason()).isEqualTo(Kapro.Reasons.INVALID_SPEC);
    assertThat(blocked.getMessage()).contains("Secret default/kapro-signing", "does not exist");
    assertThat(canary.getStatus().getMessage()).startsWith("publish blocked: ");

    // kubectl shows it where an operator looks
    Kubectl kubectl = new Kubectl(api);
    List<List<String>> fleets = kubectl.run("get", "fleets").table();
    assertThat(fleets.get(0)).containsSubsequence("NAME", "CLUSTERS", "READY");
    assertThat(fleets.get(1)).containsSubsequence("shop", "3", "False");

    // the key arrives: the Fleet turns Ready by itself, and the Target's reason moves on
    SigningKey key = SigningKey.generate();
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("kapro-signing")
                .withNamespace("default")
                .endMetadata()
                .withStringData(Map.of("cosign.key", key.privateKeyPem()))
                .build())
        .create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fleetReady() != null && fleetReady().getStatus() == ConditionStatus.True);
    assertThat(fleetReady().getMessage()).startsWith("3 clusters; bundles to 127.0.0.1:5000/");
    assertThat(kubectl.run("get", "fleets").table().get(1))
        .containsSubsequence("shop", "3", "True");
  }

  @Test
  void aPlanIsReadyWhenItValidatesAndOtherwiseNamesTheField() {
    Plan bad =
        client.resources(Plan.class).inNamespace("default").withName("canary-then-prod").get();
    bad.getMetadata().setResourceVersion(null);
    bad.getMetadata().setName("loops");
    bad.getMetadata().setUid(null);
    bad.setStatus(null);
    bad.getSpec().getStages().get(0).setDependsOn(List.of("prod"));
    client.resource(bad).inNamespace("default").create();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> planReady("canary-then-prod") != null && planReady("loops") != null);
    assertThat(planReady("canary-then-prod").getStatus()).isEqualTo(ConditionStatus.True);
    Condition loops = planReady("loops");
    assertThat(loops.getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(loops.getReason()).isEqualTo(Kapro.Reasons.INVALID_SPEC);
    assertThat(loops.getMessage()).contains("spec.stages").containsIgnoringCase("cycle");

    List<List<String>> plans = new Kubectl(api).run("get", "plans").table();
    assertThat(plans.get(0)).containsSubsequence("NAME", "READY");
    assertThat(plans.subList(1, plans.size()))
        .anySatisfy(r -> assertThat(r).containsSubsequence("canary-then-prod", "True"))
        .anySatisfy(r -> assertThat(r).containsSubsequence("loops", "False"));
  }

  private Fleet fleet() {
    return client.resources(Fleet.class).inNamespace("default").withName("shop").get();
  }

  private Condition fleetReady() {
    Fleet f = fleet();
    return f.getStatus() == null
        ? null
        : Conditions.find(f.getStatus().getConditions(), Kapro.ConditionTypes.READY).orElse(null);
  }

  private Condition planReady(String name) {
    Plan p = client.resources(Plan.class).inNamespace("default").withName(name).get();
    return p == null || p.getStatus() == null
        ? null
        : Conditions.find(p.getStatus().getConditions(), Kapro.ConditionTypes.READY).orElse(null);
  }

  private static Optional<Condition> published(Target t) {
    return t.getStatus() == null
        ? Optional.empty()
        : Conditions.find(t.getStatus().getConditions(), Kapro.ConditionTypes.PUBLISHED);
  }
}
