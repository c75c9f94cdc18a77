package io.kapro.hub.run;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Approval;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.PromotionRunStatus;
import io.kapro.api.v1alpha2.Target;
import io.kapro.hub.engine.EngineDecision;
import io.kapro.hub.engine.EngineInput;
import io.kapro.hub.engine.EngineResult;
import io.kapro.hub.engine.RunEngine;
import io.kapro.hub.engine.TargetKey;
import io.kapro.hub.events.EventEmitter;
import io.kapro.hub.events.RunEvents;
import io.kapro.hub.events.TargetEvents;
import io.kapro.hub.kube.SameNamespace;
import io.kapro.hub.kube.StatusUpdate;
import io.kapro.hub.metrics.HubMetrics;
import io.kapro.hub.webhook.PrometheusClient;
import io.kapro.hub.webhook.WebhookGateClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one PromotionRun: reads its plan snapshot, the fleet's Clusters, its Targets and
 * Approvals, asks the {@link RunEngine} what to do, and writes the answer — the run's status
 * (latches) first, then Targets, then webhook answers. All progress lives in the API, so a hub
 * restarted at any point carries on from there.
 */
public final class PromotionRunReconciler implements Reconciler<PromotionRun> {
  private static final Logger LOG = LoggerFactory.getLogger(PromotionRunReconciler.class);

  private final Clock clock;
  private final Duration resync;
  private final WebhookGateClient publicWebhooks = new WebhookGateClient(false);
  private final WebhookGateClient privateWebhooks = new WebhookGateClient(true);
  private final WebhookAnswers.Memo webhookAnswers = new WebhookAnswers.Memo();
  private final PrometheusClient publicPrometheus = new PrometheusClient(false);
  private final PrometheusClient privatePrometheus = new PrometheusClient(true);

  private final EventEmitter events;
  private final HubMetrics metrics;

  public PromotionRunReconciler(Clock clock, Duration resync) {
    this(clock, resync, EventEmitter.NONE, new HubMetrics());
  }

  public PromotionRunReconciler(
      Clock clock, Duration resync, EventEmitter events, HubMetrics metrics) {
    this.clock = clock;
    this.resync = resync;
    this.events = events;
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, PromotionRun>> prepareEventSources(
      EventSourceContext<PromotionRun> ctx) {
    var targets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Target.class, PromotionRun.class)
                .withSecondaryToPrimaryMapper(
                    t ->
                        t.getSpec() == null || t.getSpec().getRun() == null
                            ? Set.of()
                            : Set.of(
                                new ResourceID(
                                    t.getSpec().getRun(), t.getMetadata().getNamespace())))
                .build(),
            ctx);
    var approvals =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Approval.class, PromotionRun.class)
                .withSecondaryToPrimaryMapper(
                    a ->
                        a.getSpec() == null || a.getSpec().getRun() == null
                            ? Set.of()
                            : Set.of(
                                new ResourceID(
                                    a.getSpec().getRun(), a.getMetadata().getNamespace())))
                .build(),
            ctx);
    var primaries = ctx.getPrimaryCache();
    var clusters = SameNamespace.informer(Cluster.class, PromotionRun.class, ctx);
    var promotions =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Promotion.class, PromotionRun.class)
                .withSecondaryToPrimaryMapper(
                    p ->
                        primaries
                            .list(
                                p.getMetadata().getNamespace(),
                                r ->
                                    r.getSpec() != null
                                        && p.getMetadata()
                                            .getName()
                                            .equals(r.getSpec().getPromotion()))
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            ctx);
    // the run's Fleet from a cache (it was a GET per engine step); a Fleet change re-plans the
    // runs that name it
    var fleets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Fleet.class, PromotionRun.class)
                .withSecondaryToPrimaryMapper(
                    f ->
                        primaries
                            .list(
                                f.getMetadata().getNamespace(),
                                r ->
                                    r.getSpec() != null
                                        && f.getMetadata().getName().equals(r.getSpec().getFleet()))
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            ctx);
    return List.of(targets, approvals, clusters, promotions, fleets);
  }

  @Override
  public UpdateControl<PromotionRun> reconcile(PromotionRun run, Context<PromotionRun> ctx) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    KubernetesClient client = ctx.getClient();
    String ns = run.getMetadata().getNamespace();
    if (run.getSpec() == null) {
      return UpdateControl.noUpdate();
    }
    @SuppressWarnings("unchecked")
    var fleetSource =
        (InformerEventSource<Fleet, PromotionRun>)
            ctx.eventSourceRetriever().getEventSourceFor(Fleet.class);
    Fleet fleet =
        fleetSource
            .get(new ResourceID(run.getSpec().getFleet(), ns))
            // not in the cache yet (just created): read once
            .orElseGet(
                () ->
                    client
                        .resources(Fleet.class)
                        .inNamespace(ns)
                        .withName(run.getSpec().getFleet())
                        .get());
    if (fleet == null) {
      return notReady(
          client,
          run,
          Kapro.Reasons.FLEET_NOT_FOUND,
          "Fleet " + run.getSpec().getFleet() + " does not exist; create it or fix spec.fleet",
          now);
    }
    // Superseded once a newer run names this one in spec.supersedes: monotonic, so a stale
    // cache can delay it but never get it wrong.
    String name = run.getMetadata().getName();
    boolean superseded =
        ctx.getPrimaryCache()
            .list(ns)
            .anyMatch(r -> r.getSpec() != null && name.equals(r.getSpec().getSupersedes()));
    List<Target> mine = List.copyOf(ctx.getSecondaryResources(Target.class));
    @SuppressWarnings("unchecked")
    var targetSource =
        (InformerEventSource<Target, PromotionRun>)
            ctx.eventSourceRetriever().getEventSourceFor(Target.class);
    List<Target> others =
        targetSource
            .list(
                ns,
                t ->
                    t.getSpec() != null
                        && !run.getMetadata().getName().equals(t.getSpec().getRun()))
            .toList();
    @SuppressWarnings("unchecked")
    var clusterSource =
        (InformerEventSource<Cluster, PromotionRun>)
            ctx.eventSourceRetriever().getEventSourceFor(Cluster.class);
    List<Cluster> clusters = clusterSource.list(ns, fleet::selects).toList();
    List<Approval> approvals = List.copyOf(ctx.getSecondaryResources(Approval.class));

    @SuppressWarnings("unchecked")
    var promotionSource =
        (InformerEventSource<Promotion, PromotionRun>)
            ctx.eventSourceRetriever().getEventSourceFor(Promotion.class);
    Promotion promotion =
        promotionSource.get(new ResourceID(run.getSpec().getPromotion(), ns)).orElse(null);
    EngineInput input =
        RunInputs.input(
            run,
            superseded,
            promotion == null ? null : promotion.getSpec(),
            clusters,
            mine,
            others,
            approvals,
            now);
    EngineResult result = RunEngine.decide(input);
    Instant started = input.run().startedAt() == null ? now : input.run().startedAt();
    PromotionRunStatus next =
        RunStatusWriter.next(
            run.getStatus(), run.getMetadata().getGeneration(), result, started, now);
    // transitions are queued before the status that shows them is written: a crash in between
    // re-derives the same events (same ids) on the next reconcile
    // a Target's transitions go first, so a wave/stage/run event derived from them follows them
    // (the Target reconciler derives the same ones; each is queued once)
    mine.forEach(t -> events.emit(t, TargetEvents.of(t, now)));
    events.emit(run, RunEvents.of(run, next, mine, approvals, now));
    metrics.recordRunPhase(
        ns + "/" + name, next.getPhase() == null ? null : next.getPhase().name());
    if (!Objects.equals(next, run.getStatus())) {
      StatusUpdate.update(
          client,
          PromotionRun.class,
          ns,
          run.getMetadata().getName(),
          cur -> {
            if (Objects.equals(cur.getStatus(), next)) {
              return false;
            }
            cur.setStatus(next);
            return true;
          });
    }
    Map<TargetKey, Target> byKey = new HashMap<>();
    mine.forEach(
        t -> byKey.putIfAbsent(new TargetKey(t.getSpec().getStage(), t.getSpec().getCluster()), t));
    RunWriter writer = new RunWriter(client);
    int changes = 0;
    for (EngineDecision d : result.decisions()) {
      if (d instanceof EngineDecision.TargetDecision td) {
        writer.apply(run, td, byKey, now);
        changes++;
      }
      var gates =
          switch (d) {
            case EngineDecision.HoldTarget h -> h.gates();
            case EngineDecision.MarkEligible m -> m.gates();
            default -> List.<io.kapro.hub.gate.GateOutcome>of();
          };
      gates.forEach(g -> metrics.recordGateEvaluation(g.type().name(), g.verdict().name()));
    }
    boolean allowPrivate =
        fleet.getSpec() != null
            && fleet.getSpec().getWebhooks() != null
            && Boolean.TRUE.equals(fleet.getSpec().getWebhooks().getAllowPrivateDestinations());
    new WebhookAnswers(client, allowPrivate ? privateWebhooks : publicWebhooks, webhookAnswers)
        .callAll(run, result, now);
    new MetricsMeasurements(client, allowPrivate ? privatePrometheus : publicPrometheus)
        .measureAll(run, result, byKey, now);
    phaseLabel(client, run, next);
    if (changes > 0
        || !Objects.equals(
            next.getPhase(), run.getStatus() == null ? null : run.getStatus().getPhase())) {
      LOG.info(
          "run {}: {} → {}, {} Target change(s), summary {}",
          run.getMetadata().getName(),
          run.getStatus() == null ? null : run.getStatus().getPhase(),
          next.getPhase(),
          changes,
          result.summary());
    }
    if (input.run().phase().terminal() && result.decisions().isEmpty()) {
      return UpdateControl.noUpdate();
    }
    Duration after = resync;
    if (result.wakeAt() != null) {
      Duration untilWake = Duration.between(now, result.wakeAt());
      after = untilWake.compareTo(after) < 0 ? untilWake.plusMillis(100) : after;
    }
    return UpdateControl.<PromotionRun>noUpdate().rescheduleAfter(after);
  }

  /** Keeps {@code kapro.io/phase} on the run equal to its phase, for label selectors. */
  private static void phaseLabel(
      KubernetesClient client, PromotionRun run, PromotionRunStatus next) {
    String phase = next.getPhase() == null ? null : next.getPhase().name();
    var labels = run.getMetadata().getLabels();
    if (phase == null || (labels != null && phase.equals(labels.get(Kapro.Labels.PHASE)))) {
      return;
    }
    client
        .resources(PromotionRun.class)
        .inNamespace(run.getMetadata().getNamespace())
        .withName(run.getMetadata().getName())
        .edit(
            cur -> {
              if (cur.getMetadata().getLabels() == null) {
                cur.getMetadata().setLabels(new java.util.HashMap<>());
              }
              cur.getMetadata().getLabels().put(Kapro.Labels.PHASE, phase);
              return cur;
            });
  }

  private UpdateControl<PromotionRun> notReady(
      KubernetesClient client, PromotionRun run, String reason, String message, Instant now) {
    StatusUpdate.update(
        client,
        PromotionRun.class,
        run.getMetadata().getNamespace(),
        run.getMetadata().getName(),
        cur -> {
          PromotionRunStatus s =
              cur.getStatus() == null ? new PromotionRunStatus() : cur.getStatus();
          s.setConditions(
              Conditions.set(
                  s.getConditions(),
                  Conditions.of(
                      Kapro.ConditionTypes.READY,
                      ConditionStatus.False,
                      reason,
                      message,
                      cur.getMetadata().getGeneration()),
                  now));
          cur.setStatus(s);
          return true;
        });
    return UpdateControl.<PromotionRun>noUpdate().rescheduleAfter(resync);
  }
}
