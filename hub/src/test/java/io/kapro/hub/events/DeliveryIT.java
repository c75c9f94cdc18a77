package io.kapro.hub.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.Kapro;
import io.kapro.api.testing.ApiRequestCounts;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.EventSink;
import io.kapro.api.v1alpha2.EventsSpec;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.FleetSpec;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.PromotionRunStatus;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.WebhookPolicy;
import io.kapro.hub.metrics.HubMetrics;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Outbound delivery against the local API server: an event is queued once however often it is
 * derived; a sink that never answers (or that the SSRF guard refuses) is given up after the retry
 * limit, counted on the Fleet's status with a condition, and reported as a Warning Event.
 */
class DeliveryIT {
  private static final EventSettings FEW =
      new EventSettings(
          Duration.ofMillis(50),
          Duration.ofMillis(50),
          Duration.ofMillis(100),
          3,
          Duration.ofHours(1),
          100,
          Duration.ofSeconds(1));

  private LocalKubeApi api;
  private KubernetesClient client;
  private HubEvents events;
  private final HubMetrics metrics = new HubMetrics();

  @BeforeEach
  void start() {
    api = LocalKubeApi.start();
    client = api.client();
  }

  @AfterEach
  void stop() {
    if (events != null) {
      events.close();
    }
    api.close();
  }

  private void fleet(String url, boolean allowPrivate) {
    Fleet f = new Fleet();
    f.getMetadata().setName("shop");
    FleetSpec spec = new FleetSpec();
    EventSink sink = new EventSink();
    sink.setUrl(url);
    EventsSpec es = new EventsSpec();
    es.setSinks(List.of(sink));
    spec.setEvents(es);
    WebhookPolicy p = new WebhookPolicy();
    p.setAllowPrivateDestinations(allowPrivate);
    spec.setWebhooks(p);
    f.setSpec(spec);
    client.resource(f).inNamespace("default").create();
  }

  private PromotionRun run() {
    PromotionRun r = new PromotionRun();
    r.getMetadata().setName("shop-1-abc");
    r.getMetadata().setLabels(Map.of(Kapro.Labels.FLEET, "shop"));
    r = client.resource(r).inNamespace("default").create();
    PromotionRunStatus s = new PromotionRunStatus();
    s.setPhase(RunPhase.Succeeded);
    r.setStatus(s);
    return r;
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void aSinkThatNeverAnswersIsGivenUpAndCountedOnTheFleet() throws Exception {
    fleet("http://127.0.0.1:" + closedPort() + "/hook", true);
    events = HubEvents.start(client, FEW, metrics, Clock.systemUTC());
    PromotionRun r = run();
    var derived = RunEvents.of(r, r.getStatus(), List.of(), List.of(), Instant.now());
    assertThat(derived)
        .extracting(KaproEvent::type)
        .containsExactly(EventType.RUN_STARTED, EventType.RUN_SUCCEEDED);
    events.emit(r, derived);
    // derived again from a stale copy (no annotation yet) and from the fresh one: nothing new
    events.emit(r, derived);
    events.emit(client.resource(r).get(), derived);
    assertThat(client.resource(r).get().getMetadata().getAnnotations())
        .containsEntry(HubEvents.SENT, "run.end,run.started");

    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Fleet f = client.resources(Fleet.class).inNamespace("default").withName("shop").get();
              assertThat(f.getStatus()).isNotNull();
              assertThat(f.getStatus().getUndeliveredEvents()).isEqualTo(2);
              assertThat(f.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("EventsDelivered");
                        assertThat(c.getStatus().name()).isEqualTo("False");
                        assertThat(c.getReason()).isEqualTo("EventUndeliverable");
                        assertThat(c.getMessage()).contains("after 3 attempt(s)");
                      });
            });
    assertThat(client.configMaps().inNamespace("default").withName(Outbox.NAME).get().getData())
        .isEmpty();
    assertThat(client.v1().events().inNamespace("default").list().getItems())
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo("EventUndeliverable");
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getInvolvedObject().getKind()).isEqualTo("Fleet");
            })
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo("RunSucceeded");
              assertThat(e.getInvolvedObject().getName()).isEqualTo("shop-1-abc");
            });
    assertThat(metrics.scrape())
        .contains("kapro_events_undeliverable_total 2.0")
        .contains("kapro_event_delivery_failures_total 6.0")
        .contains("kapro_events_emitted_total{type=\"io.kapro.run.succeeded\"} 1.0");
  }

  @Test
  void aPrivateDestinationIsRefusedUnlessTheFleetAllowsIt() throws Exception {
    fleet("http://127.0.0.1:" + closedPort() + "/hook", false);
    events = HubEvents.start(client, FEW, metrics, Clock.systemUTC());
    PromotionRun r = run();
    events.emit(r, RunEvents.of(r, r.getStatus(), List.of(), List.of(), Instant.now()));
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .resources(Fleet.class)
                            .inNamespace("default")
                            .withName("shop")
                            .get()
                            .getStatus()
                            .getConditions())
                    .anySatisfy(
                        c ->
                            assertThat(c.getMessage())
                                .contains("private address 127.0.0.1")
                                .contains("allowPrivateDestinations")));
  }

  /**
   * Delivery is event-driven: with nothing queued a round reads nothing (before, issue 21 review: a
   * Fleet LIST and an outbox ConfigMap GET every poll, here every 50 ms); an event queued is
   * delivered in the next round and its retries when their back-off runs out, without waiting for
   * the safety rescan (an hour here).
   */
  @Test
  void anIdleOutboxCostsNoRequestAndAQueuedEventIsDeliveredWithoutARescan() throws Exception {
    fleet("http://127.0.0.1:" + closedPort() + "/hook", true);
    EventSettings slowRescan =
        new EventSettings(
            FEW.poll(),
            FEW.firstBackoff(),
            FEW.maxBackoff(),
            FEW.maxAttempts(),
            FEW.maxAge(),
            FEW.capacity(),
            FEW.timeout(),
            Duration.ofHours(1));
    events = HubEvents.start(client, slowRescan, metrics, Clock.systemUTC());
    // the first round reads every outbox (a replica that starts delivering resumes what is left)
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> api.requests().snapshot().getOrDefault("list fleets", 0L) >= 1);
    Map<String, Long> before = api.requests().snapshot();
    // 20 poll intervals with nothing queued
    await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertThat(ApiRequestCounts.delta(before, api.requests().snapshot())).isEmpty();

    PromotionRun r = run();
    events.emit(r, RunEvents.of(r, r.getStatus(), List.of(), List.of(), Instant.now()));
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .resources(Fleet.class)
                            .inNamespace("default")
                            .withName("shop")
                            .get()
                            .getStatus()
                            .getUndeliveredEvents())
                    .isEqualTo(2));
    assertThat(metrics.scrape()).contains("kapro_event_delivery_failures_total 6.0");
    assertThat(client.configMaps().inNamespace("default").withName(Outbox.NAME).get().getData())
        .isEmpty();
  }

  /**
   * Recording what was sent on the subject is one JSON Patch on the copy in hand, carrying its
   * resourceVersion (before, issue 21 review: a GET and a PUT per transition). client-go's
   * EventCorrelator is no help here: it correlates Events by involved object (kubernetes/client-go
   * tools/record/events_cache.go, commit 928244b, getEventKey and EventAggregatorByReasonFunc both
   * key on the object's kind, namespace, name and UID), so a wave of Targets each making one
   * transition is one Event each there too; what the hub can save is the read.
   */
  @Test
  void theEventsSentMarkIsOnePatchOfTheCopyInHand() {
    events = HubEvents.start(client, FEW, metrics, Clock.systemUTC(), () -> false);
    PromotionRun r = run();
    Map<String, Long> before = api.requests().snapshot();
    events.emit(r, RunEvents.of(r, r.getStatus(), List.of(), List.of(), Instant.now()));
    Map<String, Long> emitted = ApiRequestCounts.delta(before, api.requests().snapshot());
    // two Kubernetes Events; the Fleet named by the run is looked up for its sinks (none here)
    assertThat(emitted)
        .isEqualTo(Map.of("create events", 2L, "get fleets", 1L, "patch promotionruns", 1L));
    assertThat(client.resource(r).get().getMetadata().getAnnotations())
        .containsEntry(HubEvents.SENT, "run.end,run.started");

    // with the hub's Fleet informer (the cluster directory's), the sinks cost no read
    fleet("http://127.0.0.1:9/hook", true);
    try (var directory = io.kapro.hub.cluster.KubeClusterDirectory.start(client, null)) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> directory.cachedFleet("default", "shop").isPresent());
      events.readingFleetsFrom(directory::cachedFleet);
      PromotionRun r2 = new PromotionRun();
      r2.getMetadata().setName("shop-2-def");
      r2.getMetadata().setLabels(Map.of(Kapro.Labels.FLEET, "shop"));
      r2 = client.resource(r2).inNamespace("default").create();
      PromotionRunStatus s2 = new PromotionRunStatus();
      s2.setPhase(RunPhase.Succeeded);
      r2.setStatus(s2);
      Map<String, Long> before2 = api.requests().snapshot();
      events.emit(r2, RunEvents.of(r2, r2.getStatus(), List.of(), List.of(), Instant.now()));
      Map<String, Long> cached = ApiRequestCounts.delta(before2, api.requests().snapshot());
      assertThat(cached).doesNotContainKey("get fleets").containsEntry("patch promotionruns", 1L);
    }
  }
}
