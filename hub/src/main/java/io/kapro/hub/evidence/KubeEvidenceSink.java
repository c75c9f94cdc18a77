package io.kapro.hub.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Target;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.events.KubeEvents;
import io.kapro.hub.gateway.EvidenceBatch;
import io.kapro.hub.gateway.EvidenceSink;
import io.kapro.hub.kube.StatusUpdate;
import io.kapro.hub.link.LinkException;
import io.kapro.hub.metrics.HubMetrics;
import io.kapro.hub.target.PublishException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's {@link EvidenceSink} on Target and Cluster status. A batch becomes one status write
 * per Target it concerns (see {@link EvidenceRules}), then one Cluster write carrying {@code
 * lastEvidenceNumber}: the Cluster write is last, so a crash in between replays the batch, and the
 * Target writes are idempotent by their own {@code evidence.number}. Conflicts (409) are retried on
 * a fresh read. The {@code kapro.io/phase} label follows the phase after the status write.
 *
 * <p>No write when nothing visible changes ({@link Visible}): a batch that need not record its
 * numbers ({@link EvidenceBatch#recordNumbers()}) and would change only evidence numbers and
 * timestamps is acked as it stands, since the status already says what it says; each object is
 * written only when its own visible status changes (docs/design/api-budget.md).
 */
public final class KubeEvidenceSink implements EvidenceSink {
  private static final Logger LOG = LoggerFactory.getLogger(KubeEvidenceSink.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final HubMetrics metrics;
  private final KubeEvents events;
  private final EvidenceReads reads;

  /**
   * The Cluster as this sink last wrote it, per cluster: the next batch starts from it rather than
   * from the informer's copy, which lags this sink's own writes (starting from that copy, nearly
   * every write of a busy cluster met a 409 and paid a GET and a second PATCH). Another writer in
   * between still costs one 409 and a fresh read.
   */
  private final Map<ClusterId, Cluster> lastWritten =
      new java.util.concurrent.ConcurrentHashMap<>();

  public KubeEvidenceSink(KubernetesClient client, Clock clock) {
    this(client, clock, new HubMetrics());
  }

  /** Reading the Cluster and its Targets from the API server per batch. */
  public KubeEvidenceSink(KubernetesClient client, Clock clock, HubMetrics metrics) {
    this(client, clock, metrics, EvidenceReads.direct(client));
  }

  /**
   * @param metrics counts transport alarms (integrity rejections), which also become a Warning
   *     Event on the Cluster and its BundleTransport condition
   * @param reads where the Cluster and its Targets are read (informer caches in the hub)
   */
  public KubeEvidenceSink(
      KubernetesClient client, Clock clock, HubMetrics metrics, EvidenceReads reads) {
    this.client = client;
    this.clock = clock;
    this.metrics = metrics;
    this.events = new KubeEvents(client, clock);
    this.reads = reads;
  }

  @Override
  public long appliedUpTo(ClusterId cluster) {
    try {
      long cached = reads.cluster(cluster).map(ClusterEvidence::lastNumber).orElse(0L);
      Cluster mine = lastWritten.get(cluster);
      return mine == null ? cached : Math.max(cached, ClusterEvidence.lastNumber(mine));
    } catch (KubernetesClientException e) {
      throw unavailable(cluster, e);
    }
  }

  @Override
  public boolean write(ClusterId cluster, EvidenceBatch batch) {
    try {
      Instant now = clock.instant();
      Cluster c = reads.cached() ? lastWritten.get(cluster) : null;
      if (c == null) {
        c = reads.cluster(cluster).orElse(null);
      }
      if (c == null) {
        throw new LinkException(
            LinkException.Reason.UNKNOWN_CLUSTER,
            "cluster " + cluster + " was removed from the hub");
      }
      long done = ClusterEvidence.lastNumber(c);
      List<AgentMessage> received = batch.items().stream().filter(m -> number(m) > done).toList();
      if (received.isEmpty()) {
        return false;
      }
      List<Target> mine =
          reads.targets(cluster).stream()
              .filter(t -> t.getSpec() != null && cluster.name().equals(t.getSpec().getCluster()))
              .toList();
      Map<String, Target> byName = new java.util.HashMap<>();
      mine.forEach(t -> byName.put(t.getMetadata().getName(), t));
      EvidenceUnits.Checked checked = EvidenceUnits.restrict(c, mine, received);
      dropped(c, checked.dropped());
      List<AgentMessage> fresh = checked.items();
      // rejections are rare and may raise alarms: always recorded
      boolean record = batch.recordNumbers() || fresh.stream().anyMatch(AgentMessage::hasRejection);
      boolean wrote = false;
      for (Map.Entry<String, List<AgentMessage>> e : EvidenceRules.assign(mine, fresh).entrySet()) {
        wrote |=
            writeTarget(
                cluster.namespace(), e.getKey(), byName.get(e.getKey()), e.getValue(), now, record);
      }
      boolean[] clusterWritten = {false};
      Predicate<Cluster> change =
          cur -> {
            JsonNode before = record ? null : Visible.of(json(), cur.getStatus());
            boolean changed = ClusterEvidence.apply(cur, fresh, now);
            clusterWritten[0] =
                changed && (record || !Objects.equals(before, Visible.of(json(), cur.getStatus())));
            return clusterWritten[0];
          };
      Cluster from = c;
      Cluster written =
          (reads.cached()
                  ? StatusUpdate.update(client, from, change)
                  : StatusUpdate.update(
                      client, Cluster.class, cluster.namespace(), cluster.name(), change))
              .orElseThrow(
                  () -> {
                    lastWritten.remove(cluster);
                    return new LinkException(
                        LinkException.Reason.UNKNOWN_CLUSTER,
                        "cluster " + cluster + " was removed from the hub");
                  });
      if (reads.cached() && clusterWritten[0]) {
        lastWritten.put(cluster, written);
      }
      alarms(c, fresh);
      LOG.debug(
          "{}: evidence up to {} {}",
          cluster,
          batch.upTo(),
          wrote || clusterWritten[0] ? "stored" : "changes nothing visible; acked unwritten");
      return wrote || clusterWritten[0];
    } catch (KubernetesClientException | PublishException e) {
      throw unavailable(cluster, e);
    }
  }

  private io.fabric8.kubernetes.client.utils.KubernetesSerialization json() {
    return client.getKubernetesSerialization();
  }

  /**
   * One status write (none when nothing visible changes and the numbers need not be recorded), then
   * a label patch when the phase moved.
   *
   * @param cached the informer's copy, or null to read it
   * @return whether the status was written
   */
  private boolean writeTarget(
      String namespace,
      String name,
      Target cached,
      List<AgentMessage> items,
      Instant now,
      boolean record) {
    boolean[] statusWritten = {false};
    Predicate<Target> change =
        t -> {
          JsonNode before = record ? null : Visible.of(json(), t.getStatus());
          boolean changed = TargetEvidence.apply(t, items, now);
          statusWritten[0] =
              changed && (record || !Objects.equals(before, Visible.of(json(), t.getStatus())));
          return statusWritten[0];
        };
    Optional<Target> written =
        reads.cached() && cached != null
            ? StatusUpdate.update(client, cached, change)
            : StatusUpdate.update(client, Target.class, namespace, name, change);
    written.ifPresent(
        t -> {
          if (t.getStatus() == null || t.getStatus().getPhase() == null) {
            return;
          }
          String phase = t.getStatus().getPhase().name();
          Map<String, String> labels = t.getMetadata().getLabels();
          if (labels != null && Objects.equals(labels.get(Kapro.Labels.PHASE), phase)) {
            return;
          }
          try {
            // one merge patch of the label on the object in hand (an edit would read it first)
            client
                .resource(t)
                .patch(
                    io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                    "{\"metadata\":{\"labels\":{\""
                        + Kapro.Labels.PHASE
                        + "\":\""
                        + phase
                        + "\"}}}");
          } catch (KubernetesClientException e) {
            LOG.debug(
                "Target {}/{}: phase label not updated ({}); the Target reconciler will",
                namespace,
                name,
                e.getMessage());
          }
        });
    return statusWritten[0];
  }

  /**
   * Units dropped from evidence (a hostile or broken agent): counted per reason, and a Warning
   * Event on the Cluster, at most one per cluster, reason and hour however much the agent sends.
   */
  private void dropped(Cluster c, List<EvidenceUnits.Dropped> dropped) {
    for (EvidenceUnits.Dropped d : dropped) {
      metrics.evidenceUnitsDropped(d.reason(), d.units());
      LOG.warn(
          "cluster {}/{}: {}",
          c.getMetadata().getNamespace(),
          c.getMetadata().getName(),
          d.message());
      long hour = clock.instant().getEpochSecond() / 3600;
      events.record(
          c,
          Integer.toHexString(d.reason().hashCode()) + Long.toHexString(hour),
          Kapro.Reasons.EVIDENCE_UNITS_DROPPED,
          d.message(),
          true);
    }
  }

  /**
   * Integrity rejections: a metric and a Warning Event on the Cluster (one per digest and reason).
   */
  private void alarms(Cluster c, List<AgentMessage> fresh) {
    for (AgentMessage m : fresh) {
      if (m.hasRejection() && EvidenceRules.transportAlarm(m.getRejection())) {
        String reason = m.getRejection().getReason().name().replaceFirst("^REJECTION_REASON_", "");
        metrics.transportAlarm(reason);
        LOG.warn(
            "cluster {}/{}: transport alarm: {}",
            c.getMetadata().getNamespace(),
            c.getMetadata().getName(),
            ClusterEvidence.alarmMessage(m.getRejection()));
        events.record(
            c,
            Integer.toHexString((m.getRejection().getBundleDigest() + reason).hashCode())
                + Long.toHexString(m.getRejection().getNumber()),
            Kapro.Reasons.INTEGRITY_REJECTED,
            ClusterEvidence.alarmMessage(m.getRejection()),
            true);
      }
    }
  }

  private static long number(AgentMessage m) {
    return m.hasEvidence() ? m.getEvidence().getNumber() : m.getRejection().getNumber();
  }

  private static LinkException unavailable(ClusterId cluster, RuntimeException e) {
    return new LinkException(
        LinkException.Reason.STORE_UNAVAILABLE,
        "evidence of " + cluster + " could not be stored: " + e.getMessage(),
        e);
  }
}
