package io.kapro.hub.promotion;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionPhase;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.PromotionRunSpec;
import io.kapro.api.v1alpha2.PromotionStatus;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.hub.events.EventEmitter;
import io.kapro.hub.kube.ResourceNames;
import io.kapro.hub.kube.StatusUpdate;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stamps a PromotionRun for each Promotion spec hash (with the Plan's spec as it is now), points
 * {@code status.currentRun} at it — which supersedes the previous run — and mirrors the run's phase
 * on the Promotion.
 */
public final class PromotionReconciler implements Reconciler<Promotion> {
  private static final Logger LOG = LoggerFactory.getLogger(PromotionReconciler.class);

  private final Clock clock;
  private final Duration resync;

  private final EventEmitter events;

  public PromotionReconciler(Clock clock, Duration resync) {
    this(clock, resync, EventEmitter.NONE);
  }

  public PromotionReconciler(Clock clock, Duration resync, EventEmitter events) {
    this.clock = clock;
    this.resync = resync;
    this.events = events;
  }

  @Override
  public List<EventSource<?, Promotion>> prepareEventSources(EventSourceContext<Promotion> ctx) {
    return List.of(
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(PromotionRun.class, Promotion.class)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Promotion.class))
                .build(),
            ctx));
  }

  @Override
  public UpdateControl<Promotion> reconcile(Promotion promotion, Context<Promotion> ctx) {
    KubernetesClient client = ctx.getClient();
    String ns = promotion.getMetadata().getNamespace();
    var spec = promotion.getSpec();
    if (spec == null) {
      return UpdateControl.noUpdate();
    }
    PromotionStatus status = copy(promotion.getStatus());
    Plan plan =
        spec.getPlan() == null
            ? null
            : client.resources(Plan.class).inNamespace(ns).withName(spec.getPlan()).get();
    Fleet fleet =
        spec.getFleet() == null
            ? null
            : client.resources(Fleet.class).inNamespace(ns).withName(spec.getFleet()).get();
    if (plan == null || fleet == null) {
      String reason = plan == null ? Kapro.Reasons.PLAN_NOT_FOUND : Kapro.Reasons.FLEET_NOT_FOUND;
      String message =
          plan == null
              ? "Plan " + spec.getPlan() + " does not exist; create it or fix spec.plan"
              : "Fleet " + spec.getFleet() + " does not exist; create it or fix spec.fleet";
      status.setConditions(
          Conditions.set(
              status.getConditions(),
              Conditions.of(
                  Kapro.ConditionTypes.READY,
                  ConditionStatus.False,
                  reason,
                  message,
                  promotion.getMetadata().getGeneration()),
              clock.instant()));
      if (status.getPhase() == null) {
        status.setPhase(PromotionPhase.Pending);
      }
      write(client, promotion, status);
      return UpdateControl.<Promotion>noUpdate().rescheduleAfter(resync);
    }
    String hash = SpecHash.of(spec);
    String runName = ResourceNames.run(promotion.getMetadata().getName(), hash);
    if (!hash.equals(status.getSpecHash()) || status.getCurrentRun() == null) {
      stamp(client, promotion, plan, hash, runName, status.getCurrentRun());
      LOG.info(
          "Promotion {}: run {} for spec hash {} (supersedes {})",
          promotion.getMetadata().getName(),
          runName,
          hash.substring(0, 10),
          status.getCurrentRun());
      status.setSpecHash(hash);
      status.setCurrentRun(runName);
    }
    PromotionRun run =
        ctx.getSecondaryResources(PromotionRun.class).stream()
            .filter(r -> runName.equals(r.getMetadata().getName()))
            .findFirst()
            .orElse(null);
    PromotionPhase before = status.getPhase();
    status.setPhase(phase(run));
    if (status.getPhase() != before && status.getPhase() != PromotionPhase.Pending) {
      events.note(
          promotion,
          "promotion/" + runName + "/" + status.getPhase(),
          "Promotion" + status.getPhase(),
          "run " + runName + " is " + run.getStatus().getPhase(),
          status.getPhase() == PromotionPhase.Failed);
    }
    status.setObservedGeneration(promotion.getMetadata().getGeneration());
    status.setConditions(
        Conditions.set(
            status.getConditions(),
            Conditions.of(
                Kapro.ConditionTypes.READY,
                ConditionStatus.True,
                Kapro.Reasons.RECONCILED,
                "run " + runName,
                promotion.getMetadata().getGeneration()),
            clock.instant()));
    write(client, promotion, status);
    return UpdateControl.noUpdate();
  }

  private static void stamp(
      KubernetesClient client,
      Promotion promotion,
      Plan plan,
      String hash,
      String runName,
      String previous) {
    PromotionRun run = new PromotionRun();
    run.getMetadata().setName(runName);
    run.getMetadata().setNamespace(promotion.getMetadata().getNamespace());
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Kapro.Labels.FLEET, promotion.getSpec().getFleet());
    labels.put(Kapro.Labels.PROMOTION, promotion.getMetadata().getName());
    labels.put(Kapro.Labels.PROMOTION_RUN, runName);
    labels.put(Kapro.Labels.MANAGED_BY, Kapro.Labels.MANAGED_BY_VALUE);
    run.getMetadata().setLabels(labels);
    run.getMetadata().setAnnotations(Map.of(Kapro.Annotations.SPEC_HASH, hash));
    run.getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion(promotion.getApiVersion())
                    .withKind(promotion.getKind())
                    .withName(promotion.getMetadata().getName())
                    .withUid(promotion.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build()));
    PromotionRunSpec spec = new PromotionRunSpec();
    spec.setPromotion(promotion.getMetadata().getName());
    spec.setFleet(promotion.getSpec().getFleet());
    spec.setPlan(promotion.getSpec().getPlan());
    spec.setSpecHash(hash);
    spec.setUnits(promotion.getSpec().getUnits());
    spec.setPlanSnapshot(plan.getSpec());
    spec.setSupersedes(previous);
    if (Boolean.TRUE.equals(promotion.getSpec().getRollback())) {
      spec.setRollback(true);
    }
    if (Boolean.TRUE.equals(promotion.getSpec().getSkipGates())) {
      spec.setSkipGates(true);
    }
    run.setSpec(spec);
    try {
      client.resource(run).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  private static PromotionPhase phase(PromotionRun run) {
    RunPhase p = run == null || run.getStatus() == null ? null : run.getStatus().getPhase();
    if (p == null) {
      return PromotionPhase.Pending;
    }
    return switch (p) {
      case Pending -> PromotionPhase.Pending;
      case Running, WaitingForApproval, RollingBack -> PromotionPhase.Running;
      case Succeeded -> PromotionPhase.Succeeded;
      case Failed, Halted, RolledBack -> PromotionPhase.Failed;
      case Superseded -> PromotionPhase.Superseded;
      case Paused -> PromotionPhase.Paused;
      case Aborted -> PromotionPhase.Aborted;
    };
  }

  private static void write(KubernetesClient client, Promotion promotion, PromotionStatus status) {
    if (Objects.equals(status, promotion.getStatus())) {
      return;
    }
    StatusUpdate.update(
        client,
        Promotion.class,
        promotion.getMetadata().getNamespace(),
        promotion.getMetadata().getName(),
        cur -> {
          if (Objects.equals(cur.getStatus(), status)) {
            return false;
          }
          cur.setStatus(status);
          return true;
        });
  }

  private static PromotionStatus copy(PromotionStatus s) {
    PromotionStatus c = new PromotionStatus();
    if (s != null) {
      c.setPhase(s.getPhase());
      c.setCurrentRun(s.getCurrentRun());
      c.setSpecHash(s.getSpecHash());
      c.setConditions(s.getConditions());
      c.setObservedGeneration(s.getObservedGeneration());
    }
    return c;
  }
}
