package io.kapro.hub.target;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.BundleRef;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.TargetStatus;
import io.kapro.api.v1alpha2.UnitVersion;
import io.kapro.hub.events.EventEmitter;
import io.kapro.hub.events.TargetEvents;
import io.kapro.hub.kube.StatusUpdate;
import io.kapro.hub.kube.Times;
import io.kapro.hub.metrics.HubMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes Targets the engine made eligible (phase Publishing → Published with the bundle's
 * sequence and digest), keeps the {@code kapro.io/phase} label equal to the phase, and reports
 * transitions (events). Evidence arrives as Target status writes; the versions it proves go to the
 * Cluster with the evidence itself ({@code io.kapro.hub.evidence.ClusterEvidence}, their one home).
 * Updates that change nothing this reconciler reads are filtered out ({@link #reactsTo}).
 */
public final class TargetReconciler implements Reconciler<Target> {
  private static final Logger LOG = LoggerFactory.getLogger(TargetReconciler.class);

  private final TargetPublisher publisher;
  private final Clock clock;

  private final EventEmitter events;
  private final HubMetrics metrics;

  public TargetReconciler(TargetPublisher publisher, Clock clock) {
    this(publisher, clock, EventEmitter.NONE, new HubMetrics());
  }

  public TargetReconciler(
      TargetPublisher publisher, Clock clock, EventEmitter events, HubMetrics metrics) {
    this.publisher = publisher;
    this.clock = clock;
    this.events = events;
    this.metrics = metrics;
  }

  /**
   * The update filter of this reconciler's registration: an update matters only when it changes
   * what {@link #reconcile} reads (spec, labels, deletion, phase, bundle). A new evidence number,
   * its timestamps, unit details or the events-sent annotation alone do not: without this filter
   * every evidence write woke the reconciler (issue 21's budget).
   */
  public static boolean reactsTo(Target now, Target before) {
    if (before == null || now == null) {
      return true;
    }
    return !Objects.equals(now.getSpec(), before.getSpec())
        || !Objects.equals(now.getMetadata().getLabels(), before.getMetadata().getLabels())
        || !Objects.equals(
            now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp())
        || !Objects.equals(phase(now), phase(before))
        || !Objects.equals(bundle(now), bundle(before));
  }

  private static TargetPhase phase(Target t) {
    return t.getStatus() == null ? null : t.getStatus().getPhase();
  }

  private static BundleRef bundle(Target t) {
    return t.getStatus() == null ? null : t.getStatus().getBundle();
  }

  @Override
  public UpdateControl<Target> reconcile(Target target, Context<Target> ctx) throws Exception {
    if (target.getSpec() == null) {
      return UpdateControl.noUpdate();
    }
    KubernetesClient client = ctx.getClient();
    TargetStatus status = target.getStatus();
    TargetPhase phase = status == null ? null : status.getPhase();
    events.emit(target, TargetEvents.of(target, clock.instant()));
    metrics.recordTargetPhase(
        target.getMetadata().getNamespace() + "/" + target.getMetadata().getName(),
        phase == null ? null : phase.name());
    if (phase == TargetPhase.Publishing) {
      publish(client, target);
    }
    String label =
        target.getMetadata().getLabels() == null
            ? null
            : target.getMetadata().getLabels().get(Kapro.Labels.PHASE);
    if (phase != null && !Objects.equals(label, phase.name())) {
      client
          .resources(Target.class)
          .inNamespace(target.getMetadata().getNamespace())
          .withName(target.getMetadata().getName())
          .edit(
              cur -> {
                cur.getMetadata()
                    .getLabels()
                    .put(Kapro.Labels.PHASE, cur.getStatus().getPhase().name());
                return cur;
              });
    }
    return UpdateControl.noUpdate();
  }

  /**
   * Publishes once per Publishing phase. The Target is read fresh first: a cached copy can still
   * say Publishing after this hub moved it on, and a bundle already recorded on it (the publisher
   * records it right after the push) is finished rather than issued again under a new sequence.
   */
  private void publish(KubernetesClient client, Target cached) throws Exception {
    String ns = cached.getMetadata().getNamespace();
    String name = cached.getMetadata().getName();
    Target target = client.resources(Target.class).inNamespace(ns).withName(name).get();
    if (target == null
        || target.getStatus() == null
        || target.getStatus().getPhase() != TargetPhase.Publishing) {
      return;
    }
    PublishedBundle bundle = recorded(target.getStatus().getBundle());
    if (bundle == null) {
      try {
        bundle = issue(target);
      } catch (PublishException e) {
        blocked(client, ns, name, e);
        throw e;
      }
    } else {
      LOG.info(
          "Target {}: bundle seq-{} was pushed before; finishing its publish",
          name,
          bundle.sequence());
    }
    PublishedBundle published = bundle;
    StatusUpdate.update(
        client,
        Target.class,
        ns,
        name,
        cur -> {
          TargetStatus s = cur.getStatus();
          if (s == null || s.getPhase() != TargetPhase.Publishing) {
            return false; // superseded or skipped meanwhile
          }
          s.setBundle(published.toRef());
          s.setConditions(
              published(
                  cur,
                  ConditionStatus.True,
                  Kapro.Reasons.BUNDLE_PUBLISHED,
                  "bundle seq-" + published.sequence() + " " + published.digest()));
          s.setPhase(TargetPhase.Published);
          s.setSince(Times.format(clock.instant()));
          s.setMessage("bundle seq-" + published.sequence() + " published");
          return true;
        });
    LOG.info(
        "Target {}: published bundle seq-{} {}", name, published.sequence(), published.digest());
  }

  /** The Target's conditions with {@code Published} set as given. */
  private List<Condition> published(
      Target cur, ConditionStatus status, String reason, String message) {
    return Conditions.set(
        cur.getStatus().getConditions(),
        Conditions.of(
            Kapro.ConditionTypes.PUBLISHED,
            status,
            reason,
            message,
            cur.getMetadata().getGeneration()),
        clock.instant());
  }

  /**
   * Says on the Target why its bundle cannot be published (condition {@code Published=False} and
   * the message), written only when that changes; the publish is retried as before.
   */
  private void blocked(KubernetesClient client, String ns, String name, PublishException e) {
    String reason =
        switch (e.reason()) {
          case INVALID_SPEC -> Kapro.Reasons.INVALID_SPEC;
          case NOT_FOUND -> Kapro.Reasons.FLEET_NOT_FOUND;
          case PAUSED -> Kapro.Reasons.CLUSTER_PAUSED;
          case STORE_FAILED -> Kapro.Reasons.REGISTRY_UNAVAILABLE;
        };
    String message = "publish blocked: " + e.getMessage();
    try {
      StatusUpdate.update(
          client,
          Target.class,
          ns,
          name,
          cur -> {
            TargetStatus s = cur.getStatus();
            if (s == null || s.getPhase() != TargetPhase.Publishing) {
              return false;
            }
            var next = published(cur, ConditionStatus.False, reason, e.getMessage());
            if (next.equals(s.getConditions()) && message.equals(s.getMessage())) {
              return false;
            }
            s.setConditions(next);
            s.setMessage(message);
            return true;
          });
    } catch (RuntimeException w) {
      LOG.debug("Target {}: publish problem not recorded: {}", name, w.toString());
    }
  }

  private PublishedBundle issue(Target target) throws Exception {
    Map<String, String> units = new LinkedHashMap<>();
    for (UnitVersion u : target.getSpec().getUnits()) {
      units.put(u.getName(), u.getVersion());
    }
    var labels =
        target.getMetadata().getLabels() == null
            ? Map.<String, String>of()
            : target.getMetadata().getLabels();
    long started = System.nanoTime();
    try {
      PublishedBundle bundle =
          publisher.publish(
              new PublishRequest(
                  target.getMetadata().getNamespace(),
                  labels.get(Kapro.Labels.FLEET),
                  target.getSpec().getRun(),
                  target.getMetadata().getName(),
                  target.getSpec().getStage(),
                  target.getSpec().getCluster(),
                  units,
                  Boolean.TRUE.equals(target.getSpec().getRollback())));
      metrics.recordPublish(Duration.ofNanos(System.nanoTime() - started));
      return bundle;
    } catch (Exception e) {
      metrics.recordPublishError(e.getClass().getSimpleName());
      throw e;
    }
  }

  /** The bundle recorded on the Target as pushed, or null. */
  private static PublishedBundle recorded(BundleRef ref) {
    PublishedBundle b = PublishedBundle.of(ref);
    // nothing recorded, or recorded before a push that may not have happened
    return b == null || b.publishedAt() == null ? null : b;
  }
}
