package io.kapro.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.agent.testing.MutableClock;
import io.kapro.api.Examples;
import io.kapro.api.Kapro;
import io.kapro.api.testing.Kubectl;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Approval;
import io.kapro.api.v1alpha2.ApprovalSpec;
import io.kapro.api.v1alpha2.Decision;
import io.kapro.api.v1alpha2.GateResult;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionPhase;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.HubOperator;
import io.kapro.hub.target.PublishRequest;
import io.kapro.hub.target.PublishedBundle;
import io.kapro.hub.target.TargetPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The quickstart, end to end on the local API server: Promotion → PromotionRun → canary Target →
 * soak → prod waits at the approval gate → Approval → prod in two waves → every Target Converged.
 * Publishing and evidence come from test doubles; everything else is the real hub.
 */
class QuickstartIT {
  private LocalKubeApi api;
  private KubernetesClient client;
  private HubOperator hub;
  private FakeAgents agents;
  private final MutableClock clock = new MutableClock();
  private RecordingPublisher publisher;

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
    publisher = new RecordingPublisher(clock);
  }

  private void startHub(TargetPublisher with) {
    hub = HubOperator.start(client, with, new HubOperator.Settings(clock, Duration.ofMillis(300)));
    agents = new FakeAgents(client, "default", clock);
  }

  @AfterEach
  void stop() {
    if (agents != null) {
      agents.close();
    }
    if (hub != null) {
      hub.close();
    }
    api.close();
  }

  @Test
  void quickstartRunsFromPromotionToEveryTargetConvergedWaitingForTheApproval() {
    startHub(publisher);
    String run =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  Promotion p = client.resources(Promotion.class).withName("shop-1-4-0").get();
                  return p.getStatus() == null ? null : p.getStatus().getCurrentRun();
                },
                r -> r != null);

    // canary converges, then soaks 10 minutes before prod may start
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stagePhase(run, "canary") == StagePhase.Soaking);
    assertThat(targets(run))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getSpec().getCluster()).isEqualTo("canary-eu-1");
              assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Converged);
              assertThat(t.getStatus().getBundle().getSequence()).isEqualTo(1L);
            });
    clock.advance(Duration.ofMinutes(11));

    // prod's first wave waits at the approval gate
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> runPhase(run) == RunPhase.WaitingForApproval);
    Target waiting =
        targets(run).stream()
            .filter(t -> t.getSpec().getStage().equals("prod"))
            .findFirst()
            .orElseThrow();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> phase(waiting.getMetadata().getName()) == TargetPhase.Waiting);
    Target held = client.resources(Target.class).withName(waiting.getMetadata().getName()).get();
    assertThat(held.getStatus().getGates())
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.getName()).isEqualTo("release-manager");
              assertThat(g.getResult()).isEqualTo(GateResult.Pending);
            });
    assertThat(held.getMetadata().getLabels()).containsEntry(Kapro.Labels.PHASE, "Waiting");
    assertThat(publisher.published).hasSize(1); // nothing for prod yet

    approve(run);
    await().atMost(Duration.ofSeconds(60)).until(() -> runPhase(run) == RunPhase.Succeeded);

    List<Target> all = targets(run);
    assertThat(all)
        .extracting(t -> t.getSpec().getStage() + "/" + t.getSpec().getCluster())
        .containsExactlyInAnyOrder("canary/canary-eu-1", "prod/prod-eu-1", "prod/prod-us-1");
    assertThat(all)
        .allSatisfy(t -> assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Converged));
    assertThat(all).extracting(t -> t.getSpec().getWave()).containsExactlyInAnyOrder(0, 0, 1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              Promotion p = client.resources(Promotion.class).withName("shop-1-4-0").get();
              return p.getStatus().getPhase() == PromotionPhase.Succeeded;
            });
    PromotionRun finished = client.resources(PromotionRun.class).withName(run).get();
    assertThat(finished.getStatus().getSummary().getConverged()).isEqualTo(3);
    assertThat(finished.getStatus().getAudit()).isNotEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                "Succeeded"
                    .equals(
                        client
                            .resources(PromotionRun.class)
                            .withName(run)
                            .get()
                            .getMetadata()
                            .getLabels()
                            .get(Kapro.Labels.PHASE)));
    assertThat(finished.getMetadata().getLabels())
        .containsEntry(Kapro.Labels.PROMOTION, "shop-1-4-0")
        .containsEntry(Kapro.Labels.FLEET, "shop")
        .containsEntry(Kapro.Labels.PROMOTION_RUN, run);
    assertThat(all)
        .allSatisfy(
            t ->
                assertThat(t.getMetadata().getLabels())
                    .containsEntry(Kapro.Labels.FLEET, "shop")
                    .containsEntry(Kapro.Labels.PROMOTION, "shop-1-4-0")
                    .containsEntry(Kapro.Labels.PROMOTION_RUN, run)
                    .containsEntry(Kapro.Labels.STAGE, t.getSpec().getStage())
                    .containsEntry(Kapro.Labels.CLUSTER, t.getSpec().getCluster()));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                targets(run).stream()
                    .allMatch(
                        t ->
                            "Converged"
                                .equals(t.getMetadata().getLabels().get(Kapro.Labels.PHASE))));
    assertThat(
            client
                .resources(io.kapro.api.v1alpha2.Cluster.class)
                .withName("prod-eu-1")
                .get()
                .getStatus()
                .getVersions()
                .get("web")
                .getVersion())
        .isEqualTo("1.4.0");

    // kubectl against the local API server: the rows and columns an operator scans
    Kubectl.Result result = new Kubectl(api).run("get", "targets", "-l", "kapro.io/stage=prod");
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    List<List<String>> table = result.table();
    assertThat(table.get(0)).containsExactly("NAME", "CLUSTER", "STAGE", "PHASE", "VERSION", "AGE");
    assertThat(table.subList(1, table.size()))
        .hasSize(2)
        .allSatisfy(
            row -> {
              assertThat(row.get(0)).isEqualTo(run + "-prod-" + row.get(1));
              assertThat(row.get(2)).isEqualTo("prod");
              assertThat(row.get(3)).isEqualTo("Converged");
              assertThat(row.get(4)).isEqualTo("1.4.0");
            });
    assertThat(table.subList(1, 3))
        .extracting(row -> row.get(1))
        .containsExactly("prod-eu-1", "prod-us-1");
  }

  /**
   * examples/run-control on the quickstart fleet: Promotion shop-1-5-0 created paused holds its run
   * (Paused, nothing published) until it is resumed; the run then waits at the prod gate until the
   * example's Approval, which names the run the hub made, lets it through to Succeeded.
   */
  @Test
  void runControlExamplePausesResumesAndApproves() throws Exception {
    client.resources(Promotion.class).withName("shop-1-4-0").delete(); // the fleet's one release
    Path dir = Examples.repoRoot().resolve("examples/run-control");
    var promotion = Examples.read(dir.resolve("promotion.yaml")).get(0);
    var approval = Examples.read(dir.resolve("approval.yaml")).get(0);
    client.resource(Examples.typed(promotion.object())).inNamespace("default").create();
    startHub(publisher);
    String run =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  Promotion p = client.resources(Promotion.class).withName("shop-1-5-0").get();
                  return p.getStatus() == null ? null : p.getStatus().getCurrentRun();
                },
                r -> r != null);
    assertThat(approval.object().at("/spec/run").asText())
        .as("approval.yaml names the run the hub makes for promotion.yaml")
        .isEqualTo(run);
    await().atMost(Duration.ofSeconds(30)).until(() -> runPhase(run) == RunPhase.Paused);
    clock.advance(Duration.ofMinutes(1));
    await()
        .during(Duration.ofMillis(900)) // three resyncs of the run: still nothing moves
        .atMost(Duration.ofSeconds(10))
        .until(() -> runPhase(run) == RunPhase.Paused && publisher.published.isEmpty());

    // kapro resume: spec.paused cleared
    client
        .resources(Promotion.class)
        .withName("shop-1-5-0")
        .edit(
            p -> {
              p.getSpec().setPaused(false);
              return p;
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stagePhase(run, "canary") == StagePhase.Soaking);
    clock.advance(Duration.ofMinutes(11));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> runPhase(run) == RunPhase.WaitingForApproval);
    assertThat(publisher.published).hasSize(1); // the canary only

    client.resource(Examples.typed(approval.object())).inNamespace("default").create();
    await().atMost(Duration.ofSeconds(60)).until(() -> runPhase(run) == RunPhase.Succeeded);
    assertThat(targets(run))
        .extracting(t -> t.getSpec().getStage() + "/" + t.getSpec().getCluster())
        .containsExactlyInAnyOrder("canary/canary-eu-1", "prod/prod-eu-1", "prod/prod-us-1");
  }

  private void approve(String run) {
    Approval a = new Approval();
    a.getMetadata().setName("release-manager-ok");
    ApprovalSpec spec = new ApprovalSpec();
    spec.setRun(run);
    spec.setStage("prod");
    spec.setDecision(Decision.Approve);
    spec.setApprover("alice@example.com");
    spec.setReason("canary looks healthy");
    a.setSpec(spec);
    client.resource(a).inNamespace("default").create();
  }

  private List<Target> targets(String run) {
    return client
        .resources(Target.class)
        .withLabel(Kapro.Labels.PROMOTION_RUN, run)
        .list()
        .getItems();
  }

  private TargetPhase phase(String target) {
    Target t = client.resources(Target.class).withName(target).get();
    return t == null || t.getStatus() == null ? null : t.getStatus().getPhase();
  }

  private RunPhase runPhase(String run) {
    PromotionRun r = client.resources(PromotionRun.class).withName(run).get();
    return r == null || r.getStatus() == null ? null : r.getStatus().getPhase();
  }

  private StagePhase stagePhase(String run, String stage) {
    PromotionRun r = client.resources(PromotionRun.class).withName(run).get();
    if (r == null || r.getStatus() == null || r.getStatus().getStages() == null) {
      return null;
    }
    return r.getStatus().getStages().stream()
        .filter(s -> stage.equals(s.getName()))
        .map(io.kapro.api.v1alpha2.StageStatus::getPhase)
        .findFirst()
        .orElse(null);
  }

  /**
   * A Target is published once per Publishing phase, even when the reconcile that pushed its bundle
   * fails after the push (a lost Cluster write, a crash of that reconcile): the Target moved to
   * Published with its bundle before the push, and the retry confirms that push instead of issuing
   * a higher sequence.
   */
  @Test
  void aPushWhoseReconcileFailedIsFinishedNotIssuedAgain() {
    startHub(new LosesFirstStatusWrite(client, publisher));
    String run =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  Promotion p = client.resources(Promotion.class).withName("shop-1-4-0").get();
                  return p.getStatus() == null ? null : p.getStatus().getCurrentRun();
                },
                r -> r != null);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stagePhase(run, "canary") == StagePhase.Soaking);
    Target canary = targets(run).get(0);
    assertThat(canary.getStatus().getPhase()).isEqualTo(TargetPhase.Converged);
    assertThat(publisher.published)
        .as("one publish for the canary Target although its first reconcile failed after the push")
        .singleElement()
        .satisfies(r -> assertThat(r.target()).isEqualTo(canary.getMetadata().getName()));
    assertThat(canary.getStatus().getBundle().getSequence()).isEqualTo(1L);
  }

  /**
   * Publishes (the Target records the bundle before the push, as with the real publisher), then
   * fails once after the push.
   */
  private static final class LosesFirstStatusWrite implements TargetPublisher {
    private final KubernetesClient client;
    private final TargetPublisher delegate;
    private final Set<String> failed = ConcurrentHashMap.newKeySet();

    LosesFirstStatusWrite(KubernetesClient client, TargetPublisher delegate) {
      this.client = client;
      this.delegate = delegate;
    }

    @Override
    public PublishedBundle publish(PublishRequest r) throws Exception {
      return delegate.publish(r);
    }

    @Override
    public PublishedBundle publish(
        PublishRequest r, java.util.function.Predicate<PublishedBundle> beforePush)
        throws Exception {
      PublishedBundle b = delegate.publish(r, beforePush);
      if (failed.add(r.target())) {
        throw new IllegalStateException("status write lost after the push of " + r.target());
      }
      return b;
    }
  }
}
