package io.kapro.hub.target;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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
import java.util.function.Predicate;
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
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int LABELLED = 100_000;

  /**
   * Target → the resourceVersion and phase its label was last patched from here: the next
   * reconcile, started by the status write's own event from a cache that does not show the label
   * patch yet, then patches nothing.
   */
  private final Map<String, String> labelled =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> e) {
          return size() > LABELLED;
        }
      };

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
    // the copy as the events-sent mark left it (when it wrote one): the writes below start from it
    target = events.emit(target, TargetEvents.of(target, clock.instant()));
    TargetStatus status = target.getStatus();
    TargetPhase phase = status == null ? null : status.getPhase();
    metrics.recordTargetPhase(
        target.getMetadata().getNamespace() + "/" + target.getMetadata().getName(),
        phase == null ? null : phase.name());
    Target current = target;
    if (phase == TargetPhase.Publishing) {
      current = publish(client, target);
    } else if (phase == TargetPhase.Published) {
      TargetPublisher.Pushed pushed = confirm(client, target);
      if (pushed == TargetPublisher.Pushed.UNKNOWN) {
        return UpdateControl.<Target>noUpdate().rescheduleAfter(Duration.ofSeconds(1));
      }
      if (pushed == TargetPublisher.Pushed.NO) {
        return UpdateControl.noUpdate(); // back in Publishing: its status event reconciles it
      }
    }
    phaseLabel(client, current);
    return UpdateControl.noUpdate();
  }

  /**
   * Keeps {@code kapro.io/phase} equal to the phase: one JSON Patch on the copy in hand carrying
   * its resourceVersion (no read first); a stale copy is answered 409 and the label computed again
   * on a fresh read. The label cannot travel with a status write: the status subresource ignores
   * metadata (kube-apiserver's status strategy for custom resources keeps the stored metadata).
   */
  private void phaseLabel(KubernetesClient client, Target t) {
    String key = t.getMetadata().getNamespace() + "/" + t.getMetadata().getName();
    for (int attempt = 1; t != null; attempt++) {
      TargetPhase phase = t.getStatus() == null ? null : t.getStatus().getPhase();
      Map<String, String> labels = t.getMetadata().getLabels();
      if (phase == null
          || (labels != null && phase.name().equals(labels.get(Kapro.Labels.PHASE)))) {
        return;
      }
      String from = t.getMetadata().getResourceVersion() + "/" + phase;
      synchronized (labelled) {
        if (from.equals(labelled.get(key))) {
          return; // labelled from this very version already; the cache has not caught up yet
        }
      }
      ArrayNode ops = JSON.createArrayNode();
      ops.addObject()
          .put("op", "replace")
          .put("path", "/metadata/resourceVersion")
          .put("value", t.getMetadata().getResourceVersion());
      if (labels == null) {
        ops.addObject()
            .put("op", "add")
            .put("path", "/metadata/labels")
            .putObject("value")
            .put(Kapro.Labels.PHASE, phase.name());
      } else {
        ops.addObject()
            .put("op", "add")
            .put(
                "path",
                "/metadata/labels/" + Kapro.Labels.PHASE.replace("~", "~0").replace("/", "~1"))
            .put("value", phase.name());
      }
      try {
        client.resource(t).patch(PatchContext.of(PatchType.JSON), ops.toString());
        synchronized (labelled) {
          labelled.put(key, from);
        }
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return;
        }
        if (e.getCode() != 409 || attempt >= 10) {
          throw e;
        }
        t =
            client
                .resources(Target.class)
                .inNamespace(t.getMetadata().getNamespace())
                .withName(t.getMetadata().getName())
                .get();
      }
    }
  }

  /**
   * Publishes once per Publishing phase, with one Target status write and no read. The guard
   * against a stale cache (a cached copy can still say Publishing after this hub, or a replica that
   * owned the shard before, moved it on; publishing it again would issue a second sequence, maybe
   * of units a newer Target replaced) is that write itself: it moves the Target to Published with
   * the bundle, after the sequence is reserved and the bundle signed but before anything is pushed,
   * and it carries the cached resourceVersion. A stale copy is answered 409 and the change
   * recomputed on a fresh read; if the Target is no longer Publishing the publish is called off
   * (the reserved number is burnt, nothing is pushed). Recording the bundle before the push also
   * lets an agent that sees it at once (a poll) report on it. If the push fails the Target goes
   * back to Publishing ({@link #blocked}); if the hub stops during the push, {@link #confirm} finds
   * the bundle not pushed and sends the Target back to Publishing.
   *
   * @return the Target as last written (or the cached copy)
   */
  private Target publish(KubernetesClient client, Target cached) throws Exception {
    String ns = cached.getMetadata().getNamespace();
    String name = cached.getMetadata().getName();
    Target[] written = {cached};
    PublishedBundle[] attempted = {null};
    PublishedBundle published;
    try {
      published =
          issue(
              cached,
              pending -> {
                attempted[0] = pending;
                boolean[] wrote = {false};
                StatusUpdate.update(
                        client,
                        cached,
                        cur -> {
                          wrote[0] = false;
                          TargetStatus s = cur.getStatus();
                          if (s == null || s.getPhase() != TargetPhase.Publishing) {
                            return false; // moved on (superseded, skipped, published) meanwhile
                          }
                          s.setBundle(pending.toRef());
                          s.setConditions(
                              published(
                                  cur,
                                  ConditionStatus.True,
                                  Kapro.Reasons.BUNDLE_PUBLISHED,
                                  "bundle seq-" + pending.sequence() + " " + pending.digest()));
                          s.setPhase(TargetPhase.Published);
                          s.setSince(Times.format(clock.instant()));
                          s.setMessage("bundle seq-" + pending.sequence() + " published");
                          wrote[0] = true;
                          return true;
                        })
                    .ifPresent(t -> written[0] = t);
                return wrote[0];
              });
    } catch (PublishException e) {
      blocked(client, written[0], attempted[0], e);
      throw e;
    }
    if (published == null) {
      LOG.debug("Target {}: no longer Publishing; nothing published", name);
      return written[0];
    }
    LOG.info(
        "Target {}: published bundle seq-{} {}", name, published.sequence(), published.digest());
    return written[0];
  }

  /**
   * A Published Target's bundle is recorded before its push: when the hub stopped during the push
   * (or the push failed and the Target could not be sent back), the bundle never went out. Asks the
   * publisher (no request when this process or the Cluster cache has it published) and sends the
   * Target back to Publishing when it was not pushed, so that it is published again.
   */
  private TargetPublisher.Pushed confirm(KubernetesClient client, Target target) {
    PublishedBundle bundle = PublishedBundle.of(target.getStatus().getBundle());
    if (bundle == null) {
      return TargetPublisher.Pushed.YES;
    }
    TargetPublisher.Pushed pushed = publisher.pushed(request(target), bundle);
    if (pushed == TargetPublisher.Pushed.NO) {
      LOG.warn(
          "Target {}: bundle seq-{} was recorded but never pushed; publishing again",
          target.getMetadata().getName(),
          bundle.sequence());
      back(
          client,
          target,
          bundle,
          Kapro.Reasons.REGISTRY_UNAVAILABLE,
          "bundle seq-"
              + bundle.sequence()
              + " was not pushed (the publish stopped); publishing"
              + " again");
    }
    return pushed;
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
   * the message), written only when that changes; a Target already moved to Published with the
   * bundle whose push failed goes back to Publishing. The publish is retried as before.
   */
  private void blocked(
      KubernetesClient client, Target inHand, PublishedBundle attempted, PublishException e) {
    String reason =
        switch (e.reason()) {
          case INVALID_SPEC -> Kapro.Reasons.INVALID_SPEC;
          case NOT_FOUND -> Kapro.Reasons.FLEET_NOT_FOUND;
          case PAUSED -> Kapro.Reasons.CLUSTER_PAUSED;
          case STORE_FAILED -> Kapro.Reasons.REGISTRY_UNAVAILABLE;
        };
    try {
      back(client, inHand, attempted, reason, e.getMessage());
    } catch (RuntimeException w) {
      LOG.debug(
          "Target {}: publish problem not recorded: {}",
          inHand.getMetadata().getName(),
          w.toString());
    }
  }

  /**
   * Writes {@code Published=False} with {@code message} on a Target in Publishing, or on one in
   * Published with {@code attempted} (sent back to Publishing); nothing when that is already said.
   */
  private void back(
      KubernetesClient client,
      Target inHand,
      PublishedBundle attempted,
      String reason,
      String detail) {
    String message = "publish blocked: " + detail;
    StatusUpdate.update(
        client,
        inHand,
        cur -> {
          TargetStatus s = cur.getStatus();
          if (s == null) {
            return false;
          }
          boolean ours =
              s.getPhase() == TargetPhase.Published
                  && attempted != null
                  && s.getBundle() != null
                  && Objects.equals(s.getBundle().getSequence(), attempted.sequence());
          if (s.getPhase() != TargetPhase.Publishing && !ours) {
            return false;
          }
          var next = published(cur, ConditionStatus.False, reason, detail);
          if (!ours && next.equals(s.getConditions()) && message.equals(s.getMessage())) {
            return false;
          }
          if (ours) {
            s.setPhase(TargetPhase.Publishing);
            s.setSince(Times.format(clock.instant()));
          }
          s.setConditions(next);
          s.setMessage(message);
          return true;
        });
  }

  /** What the Target asks the publisher for. */
  private static PublishRequest request(Target target) {
    Map<String, String> units = new LinkedHashMap<>();
    for (UnitVersion u : target.getSpec().getUnits()) {
      units.put(u.getName(), u.getVersion());
    }
    var labels =
        target.getMetadata().getLabels() == null
            ? Map.<String, String>of()
            : target.getMetadata().getLabels();
    return new PublishRequest(
        target.getMetadata().getNamespace(),
        labels.get(Kapro.Labels.FLEET),
        target.getSpec().getRun(),
        target.getMetadata().getName(),
        target.getSpec().getStage(),
        target.getSpec().getCluster(),
        units,
        Boolean.TRUE.equals(target.getSpec().getRollback()));
  }

  private PublishedBundle issue(Target target, Predicate<PublishedBundle> beforePush)
      throws Exception {
    long started = System.nanoTime();
    try {
      PublishedBundle bundle = publisher.publish(request(target), beforePush);
      metrics.recordPublish(Duration.ofNanos(System.nanoTime() - started));
      return bundle;
    } catch (Exception e) {
      metrics.recordPublishError(e.getClass().getSimpleName());
      throw e;
    }
  }
}
