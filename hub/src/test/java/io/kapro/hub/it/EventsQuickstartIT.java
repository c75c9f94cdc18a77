package io.kapro.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.agent.testing.MutableClock;
import io.kapro.api.Examples;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Approval;
import io.kapro.api.v1alpha2.ApprovalSpec;
import io.kapro.api.v1alpha2.Decision;
import io.kapro.api.v1alpha2.EventSink;
import io.kapro.api.v1alpha2.EventsSpec;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.HmacKeyRef;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.WebhookPolicy;
import io.kapro.hub.HubOperator;
import io.kapro.hub.events.EventSettings;
import io.kapro.hub.events.HubEvents;
import io.kapro.hub.events.Outbox;
import io.kapro.hub.metrics.HubMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The quickstart promotion with a CloudEvents sink on its Fleet: the loopback receiver gets every
 * transition, in causal order, signed; with the receiver down and the hub restarted in between,
 * every event still arrives, each id once per event. Kubernetes Events and /metrics agree.
 */
class EventsQuickstartIT {
  private static final byte[] KEY = "quickstart-hmac-key".getBytes(StandardCharsets.UTF_8);
  private static final EventSettings FAST =
      new EventSettings(
          Duration.ofMillis(100),
          Duration.ofMillis(100),
          Duration.ofMillis(800),
          1000,
          Duration.ofHours(1),
          2000,
          Duration.ofSeconds(2));

  /** Every transition of the quickstart, labelled type:stage/wave. */
  static final List<String> EXPECTED =
      List.of(
          "run.started",
          "stage.started:canary",
          "wave.started:canary/0",
          "target.published:canary/0",
          "target.converged:canary/0",
          "wave.completed:canary/0",
          "stage.completed:canary",
          "stage.started:prod",
          "wave.started:prod/0",
          "approval.required:prod/0",
          "approval.granted:prod",
          "target.published:prod/0",
          "target.converged:prod/0",
          "wave.completed:prod/0",
          "wave.started:prod/1",
          "target.published:prod/1",
          "target.converged:prod/1",
          "wave.completed:prod/1",
          "stage.completed:prod",
          "run.succeeded");

  /** Pairs that must arrive in this order (causal in the hub). */
  static final List<List<String>> BEFORE =
      List.of(
          List.of("run.started", "stage.started:canary"),
          List.of("stage.started:canary", "wave.started:canary/0"),
          List.of("wave.started:canary/0", "target.published:canary/0"),
          List.of("target.published:canary/0", "target.converged:canary/0"),
          List.of("target.converged:canary/0", "wave.completed:canary/0"),
          List.of("wave.completed:canary/0", "stage.completed:canary"),
          List.of("stage.completed:canary", "stage.started:prod"),
          List.of("stage.started:prod", "wave.started:prod/0"),
          List.of("approval.required:prod/0", "approval.granted:prod"),
          List.of("approval.granted:prod", "target.published:prod/0"),
          List.of("wave.started:prod/0", "target.published:prod/0"),
          List.of("target.published:prod/0", "target.converged:prod/0"),
          List.of("target.converged:prod/0", "wave.completed:prod/0"),
          List.of("wave.completed:prod/0", "wave.started:prod/1"),
          List.of("wave.started:prod/1", "target.published:prod/1"),
          List.of("target.published:prod/1", "target.converged:prod/1"),
          List.of("target.converged:prod/1", "wave.completed:prod/1"),
          List.of("wave.completed:prod/1", "stage.completed:prod"),
          List.of("stage.completed:prod", "run.succeeded"));

  private LocalKubeApi api;
  private KubernetesClient client;
  private final MutableClock clock = new MutableClock();
  private RecordingPublisher publisher;
  private FakeAgents agents;
  private EventReceiver receiver;
  private HubMetrics metrics;
  private HubEvents events;
  private HubOperator hub;

  @BeforeEach
  void start() throws Exception {
    api = LocalKubeApi.start();
    client = api.client();
    receiver = new EventReceiver(KEY);
    Secret secret =
        new io.fabric8.kubernetes.api.model.SecretBuilder()
            .withNewMetadata()
            .withName("ci-sink")
            .endMetadata()
            .withStringData(Map.of("hmac", new String(KEY, StandardCharsets.UTF_8)))
            .build();
    client.resource(secret).inNamespace("default").create();
    Path quickstart = Examples.repoRoot().resolve("examples/quickstart");
    try (Stream<Path> files = Files.list(quickstart)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (var m : Examples.read(f)) {
          var o = Examples.typed(m.object());
          if (o instanceof Fleet fleet) {
            withSink(fleet);
          }
          client.resource(o).inNamespace("default").create();
        }
      }
    }
    publisher = new RecordingPublisher(clock);
    agents = new FakeAgents(client, "default", clock);
  }

  private void withSink(Fleet fleet) {
    EventSink sink = new EventSink();
    sink.setUrl(receiver.url());
    HmacKeyRef ref = new HmacKeyRef();
    ref.setName("ci-sink");
    sink.setSecretRef(ref);
    EventsSpec spec = new EventsSpec();
    spec.setSinks(List.of(sink));
    fleet.getSpec().setEvents(spec);
    WebhookPolicy loopback = new WebhookPolicy();
    loopback.setAllowPrivateDestinations(true); // the receiver is on 127.0.0.1
    fleet.getSpec().setWebhooks(loopback);
  }

  private void startHub() {
    metrics = new HubMetrics();
    events = HubEvents.start(client, FAST, metrics, Clock.systemUTC());
    hub =
        HubOperator.start(
            client,
            publisher,
            new HubOperator.Settings(clock, Duration.ofMillis(300)),
            events,
            metrics);
  }

  private void stopHub() {
    hub.close();
    events.close();
  }

  @AfterEach
  void stop() {
    agents.close();
    if (hub != null) {
      stopHub();
    }
    receiver.close();
    api.close();
  }

  @Test
  void receiverGetsEveryTransitionInOrderSignedAndMetricsAgree() {
    startHub();
    String run = runThroughQuickstart(() -> {});

    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.labels().containsAll(EXPECTED));
    assertArrivals();
    assertThat(receiver.received).allSatisfy(r -> assertThat(r.signed()).as(r.id()).isTrue());
    assertThat(receiver.received)
        .allSatisfy(
            r -> {
              assertThat(r.source()).isEqualTo("/kapro/namespaces/default/fleets/shop");
              assertThat(r.data().get("run").asText()).isEqualTo(run);
              assertThat(r.data().get("version").asText()).isEqualTo("web=1.4.0,api=v1.4.0");
            });

    // Kubernetes Events on the run, its Targets and the Promotion
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(kubeEvents())
                    .contains(
                        "PromotionRun/" + run + "/RunStarted",
                        "PromotionRun/" + run + "/StageCompleted",
                        "PromotionRun/" + run + "/ApprovalRequired",
                        "PromotionRun/" + run + "/RunSucceeded",
                        "Target/" + run + "-canary-canary-eu-1/TargetPublished",
                        "Target/" + run + "-canary-canary-eu-1/TargetConverged",
                        "Promotion/shop-1-4-0/PromotionSucceeded"));

    // /metrics agrees with what happened
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              String scrape = metrics.scrape();
              assertThat(scrape)
                  .contains("kapro_runs{phase=\"Succeeded\"} 1.0")
                  .contains("kapro_targets{phase=\"Converged\"} 3.0")
                  .contains(
                      "kapro_publish_duration_seconds_count " + publisher.published.size() + "\n")
                  .contains("kapro_events_delivered_total{type=\"io.kapro.run.succeeded\"} 1.0")
                  .contains("kapro_events_emitted_total{type=\"io.kapro.target.converged\"} 3.0")
                  .contains("kapro_events_outbox_depth{namespace=\"default\"} 0.0")
                  .containsPattern(
                      "kapro_gate_evaluations_total\\{result=\"Pending\",type=\"Approval\"} [1-9]")
                  .containsPattern(
                      "kapro_gate_evaluations_total\\{result=\"Passed\",type=\"Approval\"} [1-9]");
            });
    assertThat(publisher.published).hasSize(3);
  }

  @Test
  void receiverDownAndHubRestartedLosesNothing() throws Exception {
    startHub();
    receiver.failing = true; // up but answering 503
    String run =
        runThroughQuickstart(
            () -> {
              // mid-run: the hub goes away, the receiver too; queued events wait in the API
              stopHub();
              receiver.stop();
              assertThat(pendingEntries()).isPositive();
              startHub();
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> pendingEntries() >= EXPECTED.size());
    assertThat(receiver.received).isEmpty();

    // and a second restart while everything is still queued
    stopHub();
    startHub();
    receiver.failing = false;
    receiver.restart();
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.labels().containsAll(EXPECTED));
    await().atMost(Duration.ofSeconds(10)).until(() -> pendingEntries() == 0);
    assertArrivals();
    assertThat(receiver.received).allSatisfy(r -> assertThat(r.signed()).isTrue());
    assertThat(run).isNotNull();
  }

  private void assertArrivals() {
    List<String> labels = receiver.labels();
    assertThat(labels).containsExactlyInAnyOrderElementsOf(EXPECTED);
    assertThat(receiver.distinct()).extracting(EventReceiver.Received::id).doesNotHaveDuplicates();
    for (List<String> pair : BEFORE) {
      assertThat(labels.indexOf(pair.get(0)))
          .as("%s before %s in %s", pair.get(0), pair.get(1), labels)
          .isLessThan(labels.indexOf(pair.get(1)));
    }
  }

  private int pendingEntries() {
    var cm = client.configMaps().inNamespace("default").withName(Outbox.NAME).get();
    return cm == null || cm.getData() == null ? 0 : cm.getData().size();
  }

  private List<String> kubeEvents() {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .map(
            (Event e) ->
                e.getInvolvedObject().getKind()
                    + "/"
                    + e.getInvolvedObject().getName()
                    + "/"
                    + e.getReason())
        .toList();
  }

  /** Runs the quickstart to success; {@code midway} runs while prod waits for the approval. */
  private String runThroughQuickstart(Runnable midway) {
    String run =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  Promotion p = client.resources(Promotion.class).withName("shop-1-4-0").get();
                  return p.getStatus() == null ? null : p.getStatus().getCurrentRun();
                },
                r -> r != null);
    await().atMost(Duration.ofSeconds(30)).until(() -> stageSent(run, "wave.completed/canary/0"));
    clock.advance(Duration.ofMinutes(11));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stageSent(run, "approval.required/prod/release-manager"));
    midway.run();
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
    await().atMost(Duration.ofSeconds(60)).until(() -> runPhase(run) == RunPhase.Succeeded);
    await().atMost(Duration.ofSeconds(10)).until(() -> stageSent(run, "run.end"));
    return run;
  }

  /** Whether the run's event with this key was queued (the run's events-sent annotation). */
  private boolean stageSent(String run, String key) {
    PromotionRun r = client.resources(PromotionRun.class).withName(run).get();
    var a = r == null ? null : r.getMetadata().getAnnotations();
    String sent = a == null ? null : a.get(HubEvents.SENT);
    return sent != null && List.of(sent.split(",")).contains(key);
  }

  private RunPhase runPhase(String run) {
    PromotionRun r = client.resources(PromotionRun.class).withName(run).get();
    return r == null || r.getStatus() == null ? null : r.getStatus().getPhase();
  }
}
