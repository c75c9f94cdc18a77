package io.kapro.hub.cluster;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
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
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterConnectivity;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.hub.cluster.connectivity.ConnectivityPolicy;
import io.kapro.hub.kube.SameNamespace;
import io.kapro.hub.kube.StatusUpdate;
import io.kapro.hub.kube.Times;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps a Cluster's {@code Connected} condition honest: True while heartbeats arrive, Unknown after
 * three missed heartbeat intervals (the fleet's, default 30 s), False when revoked. The gateway
 * writes {@code lastSeen} on transitions and coarsely, and holds the cluster's Lease while the
 * agent's stream lives ({@link AgentLeases}); this reconciler notices when both stop (a replica
 * that died with its streams).
 */
public final class ClusterReconciler implements Reconciler<Cluster> {
  private static final String LEASES = "agent-leases";
  private final Clock clock;

  public ClusterReconciler(Clock clock) {
    this.clock = clock;
  }

  /**
   * Fleets come from an informer cache, not a LIST per reconcile (every Cluster status write
   * triggers one; at fleet scale those LISTs were most of this reconciler's API calls). A Fleet
   * change re-reconciles the Clusters of its namespace (its heartbeat interval may have changed).
   */
  @Override
  public List<EventSource<?, Cluster>> prepareEventSources(EventSourceContext<Cluster> ctx) {
    return List.of(SameNamespace.informer(Fleet.class, Cluster.class, ctx), leases(ctx));
  }

  /**
   * The clusters' liveness Leases ({@link AgentLeases}), from an informer on Leases labelled {@code
   * kapro.io/cluster}: a renewal re-reconciles its Cluster, in memory.
   */
  private static InformerEventSource<Lease, Cluster> leases(EventSourceContext<Cluster> ctx) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Lease.class, Cluster.class)
            .withName(LEASES)
            .withLabelSelector(Kapro.Labels.CLUSTER)
            .withSecondaryToPrimaryMapper(
                l ->
                    Set.of(
                        new ResourceID(
                            l.getMetadata().getLabels().get(Kapro.Labels.CLUSTER),
                            l.getMetadata().getNamespace())))
            .build(),
        ctx);
  }

  /** Until when the cluster's Lease keeps it alive, or null (no Lease, no holder). */
  private static Instant leaseValidUntil(Context<Cluster> ctx, Cluster cluster) {
    @SuppressWarnings("unchecked")
    InformerEventSource<Lease, Cluster> source =
        (InformerEventSource<Lease, Cluster>)
            ctx.eventSourceRetriever().getEventSourceFor(Lease.class, LEASES);
    Lease l =
        source
            .get(
                new ResourceID(
                    AgentLeases.leaseName(cluster.getMetadata().getName()),
                    cluster.getMetadata().getNamespace()))
            .orElse(null);
    if (l == null
        || l.getSpec() == null
        || l.getSpec().getHolderIdentity() == null
        || l.getSpec().getRenewTime() == null
        || l.getSpec().getLeaseDurationSeconds() == null) {
      return null;
    }
    return l.getSpec()
        .getRenewTime()
        .toInstant()
        .plusSeconds(l.getSpec().getLeaseDurationSeconds());
  }

  @Override
  public UpdateControl<Cluster> reconcile(Cluster cluster, Context<Cluster> ctx) {
    Instant now = clock.instant();
    ClusterStatus status = cluster.getStatus();
    Duration window = ConnectivityPolicy.window(Duration.ofSeconds(heartbeatSeconds(ctx, cluster)));
    boolean airGapped =
        cluster.getSpec() != null
            && cluster.getSpec().getConnectivity() == ClusterConnectivity.AirGapped;
    boolean wasConnected =
        status != null
            && Conditions.find(status.getConditions(), Kapro.ConditionTypes.CONNECTED)
                .map(c -> c.getStatus() == io.kapro.api.v1alpha2.ConditionStatus.True)
                .orElse(false);
    var connected =
        airGapped
            ? ClusterHealth.airGapped()
            : ClusterHealth.of(
                status == null ? null : status.getEnrollment(),
                status == null ? null : Times.parse(status.getLastSeen()),
                wasConnected ? leaseValidUntil(ctx, cluster) : null,
                now,
                window);
    var conditions =
        Conditions.set(
            status == null ? null : status.getConditions(),
            Conditions.of(
                Kapro.ConditionTypes.CONNECTED,
                connected.status(),
                connected.reason(),
                connected.message(),
                cluster.getMetadata().getGeneration()),
            now);
    if (status == null || !conditions.equals(status.getConditions())) {
      // from the cached copy: one PATCH with its resourceVersion, a GET only after a 409
      StatusUpdate.update(
          ctx.getClient(),
          cluster,
          cur -> {
            ClusterStatus s = cur.getStatus() == null ? new ClusterStatus() : cur.getStatus();
            s.setConditions(
                Conditions.set(
                    s.getConditions(),
                    Conditions.of(
                        Kapro.ConditionTypes.CONNECTED,
                        connected.status(),
                        connected.reason(),
                        connected.message(),
                        cur.getMetadata().getGeneration()),
                    now));
            cur.setStatus(s);
            return true;
          });
    }
    return connected.lapsesAt() == null
        ? UpdateControl.noUpdate()
        : UpdateControl.<Cluster>noUpdate()
            .rescheduleAfter(Duration.between(now, connected.lapsesAt()).plusSeconds(1));
  }

  private static int heartbeatSeconds(Context<Cluster> ctx, Cluster cluster) {
    Map<String, String> labels =
        cluster.getMetadata().getLabels() == null ? Map.of() : cluster.getMetadata().getLabels();
    @SuppressWarnings("unchecked")
    InformerEventSource<Fleet, Cluster> source =
        (InformerEventSource<Fleet, Cluster>)
            ctx.eventSourceRetriever().getEventSourceFor(Fleet.class);
    List<Fleet> fleets = source.list(cluster.getMetadata().getNamespace()).toList();
    for (Fleet f : fleets) {
      if (f.getSpec() != null
          && f.getSpec().getClusterSelector() != null
          && f.getSpec().getClusterSelector().matches(labels)
          && f.getSpec().getHeartbeatIntervalSeconds() != null) {
        return Math.max(1, f.getSpec().getHeartbeatIntervalSeconds());
      }
    }
    return 30;
  }
}
