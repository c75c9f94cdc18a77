package io.kapro.hub.fleet;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.FleetStatus;
import io.kapro.api.validation.SpecValidator;
import io.kapro.api.validation.Violation;
import io.kapro.hub.kube.SameNamespace;
import io.kapro.hub.kube.StatusUpdate;
import io.kapro.hub.publish.FleetConfig;
import io.kapro.hub.publish.Fleets;
import io.kapro.hub.publish.SigningKeys;
import io.kapro.hub.target.PublishException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@code kubectl get fleets} shows: {@code Ready} (the spec validates, the signing key Secret
 * holds a usable key — the checks the publisher makes, with its messages) and {@code clusters}, the
 * number of Clusters this Fleet owns. Clusters come from an informer; the Secret is re-read on a
 * timer (the hub does not watch Secrets), sooner while the Fleet is not Ready.
 */
public final class FleetReconciler implements Reconciler<Fleet> {
  static final Duration RECHECK_READY = Duration.ofMinutes(5);

  private final Clock clock;
  private final SigningKeys keys;
  private final Duration recheckNotReady;

  /**
   * @param recheckNotReady how soon a Fleet that is not Ready is looked at again (the hub's resync)
   */
  public FleetReconciler(Clock clock, SigningKeys keys, Duration recheckNotReady) {
    this.clock = clock;
    this.keys = keys;
    this.recheckNotReady = recheckNotReady;
  }

  /** A Cluster added, removed or relabelled re-counts every Fleet of its namespace. */
  @Override
  public List<EventSource<?, Fleet>> prepareEventSources(EventSourceContext<Fleet> ctx) {
    return List.of(SameNamespace.informer(Cluster.class, Fleet.class, ctx));
  }

  @Override
  public UpdateControl<Fleet> reconcile(Fleet fleet, Context<Fleet> ctx) {
    String ns = fleet.getMetadata().getNamespace();
    List<Fleet> fleets = ctx.getPrimaryCache().list(ns).toList();
    @SuppressWarnings("unchecked")
    InformerEventSource<Cluster, Fleet> clusters =
        (InformerEventSource<Cluster, Fleet>)
            ctx.eventSourceRetriever().getEventSourceFor(Cluster.class);
    int owned =
        (int)
            clusters
                .list(ns)
                .filter(
                    c ->
                        Fleets.owner(fleets, c)
                            .map(f -> f.getMetadata().getName())
                            .filter(fleet.getMetadata().getName()::equals)
                            .isPresent())
                .count();
    Condition ready = ready(fleet, owned);
    write(ctx.getClient(), fleet, ready, owned);
    return UpdateControl.<Fleet>noUpdate()
        .rescheduleAfter(
            ready.getStatus() == ConditionStatus.True ? RECHECK_READY : recheckNotReady);
  }

  /** Ready when the spec validates and the signing key loads, with the publisher's own messages. */
  Condition ready(Fleet fleet, int owned) {
    Long generation = fleet.getMetadata().getGeneration();
    List<Violation> violations = SpecValidator.validate(fleet);
    if (!violations.isEmpty()) {
      return Conditions.of(
          Kapro.ConditionTypes.READY,
          ConditionStatus.False,
          Kapro.Reasons.INVALID_SPEC,
          SpecValidator.describe(violations),
          generation);
    }
    try {
      FleetConfig config = FleetConfig.of(fleet);
      keys.load(config);
      return Conditions.of(
          Kapro.ConditionTypes.READY,
          ConditionStatus.True,
          Kapro.Reasons.RECONCILED,
          owned
              + (owned == 1 ? " cluster" : " clusters")
              + "; bundles to "
              + target(fleet)
              + ", signed with Secret "
              + config.key().getName()
              + " key "
              + config.key().getKey(),
          generation);
    } catch (PublishException e) {
      return Conditions.of(
          Kapro.ConditionTypes.READY,
          ConditionStatus.False,
          Kapro.Reasons.INVALID_SPEC,
          e.getMessage(),
          generation);
    }
  }

  private static String target(Fleet fleet) {
    var spec = fleet.getSpec();
    if (spec.getRegistry() != null && spec.getRegistry().getUrl() != null) {
      return spec.getRegistry().getUrl() + "/" + spec.getRegistry().getRepositoryPrefix();
    }
    return "an OCI layout";
  }

  private void write(KubernetesClient client, Fleet fleet, Condition ready, int owned) {
    FleetStatus s = fleet.getStatus();
    if (s != null
        && Objects.equals(s.getClusters(), owned)
        && Objects.equals(s.getObservedGeneration(), fleet.getMetadata().getGeneration())
        && Conditions.set(s.getConditions(), ready, clock.instant()).equals(s.getConditions())) {
      return; // nothing visible changes: no write
    }
    StatusUpdate.update(
        client,
        Fleet.class,
        fleet.getMetadata().getNamespace(),
        fleet.getMetadata().getName(),
        cur -> {
          FleetStatus st = cur.getStatus() == null ? new FleetStatus() : cur.getStatus();
          st.setConditions(Conditions.set(st.getConditions(), ready, clock.instant()));
          st.setClusters(owned);
          st.setObservedGeneration(cur.getMetadata().getGeneration());
          cur.setStatus(st);
          return true;
        });
  }
}
