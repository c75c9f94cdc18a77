package io.kapro.hub.evidence;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's {@link EvidenceSink} on Target and Cluster status. A batch becomes one status write
 * per Target it concerns (see {@link EvidenceRules}), then one Cluster write carrying {@code
 * lastEvidenceNumber}: the Cluster write is last, so a crash in between replays the batch, and the
 * Target writes are idempotent by their own {@code evidence.number}. Conflicts (409) are retried on
 * a fresh read. The {@code kapro.io/phase} label follows the phase after the status write.
 */
public final class KubeEvidenceSink implements EvidenceSink {
  private static final Logger LOG = LoggerFactory.getLogger(KubeEvidenceSink.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final HubMetrics metrics;
  private final KubeEvents events;

  public KubeEvidenceSink(KubernetesClient client, Clock clock) {
    this(client, clock, new HubMetrics());
  }

  /**
   * @param metrics counts transport alarms (integrity rejections), which also become a Warning
   *     Event on the Cluster and its BundleTransport condition
   */
  public KubeEvidenceSink(KubernetesClient client, Clock clock, HubMetrics metrics) {
    this.client = client;
    this.clock = clock;
    this.metrics = metrics;
    this.events = new KubeEvents(client, clock);
  }

  @Override
  public long appliedUpTo(ClusterId cluster) {
    try {
      Cluster c =
          client
              .resources(Cluster.class)
              .inNamespace(cluster.namespace())
              .withName(cluster.name())
              .get();
      return c == null ? 0 : ClusterEvidence.lastNumber(c);
    } catch (KubernetesClientException e) {
      throw unavailable(cluster, e);
    }
  }

  @Override
  public void write(ClusterId cluster, EvidenceBatch batch) {
    try {
      Instant now = clock.instant();
      Cluster c =
          client
              .resources(Cluster.class)
              .inNamespace(cluster.namespace())
              .withName(cluster.name())
              .get();
      if (c == null) {
        throw new LinkException(
            LinkException.Reason.UNKNOWN_CLUSTER,
            "cluster " + cluster + " was removed from the hub");
      }
      long done = ClusterEvidence.lastNumber(c);
      List<AgentMessage> received = batch.items().stream().filter(m -> number(m) > done).toList();
      if (received.isEmpty()) {
        return;
      }
      List<Target> targets =
          client
              .resources(Target.class)
              .inNamespace(cluster.namespace())
              .withLabel(Kapro.Labels.CLUSTER, cluster.name())
              .list()
              .getItems();
      List<Target> mine =
          targets.stream()
              .filter(t -> t.getSpec() != null && cluster.name().equals(t.getSpec().getCluster()))
              .toList();
      EvidenceUnits.Checked checked = EvidenceUnits.restrict(c, mine, received);
      checked.dropped().forEach(d -> LOG.warn("cluster {}: {}", cluster, d));
      List<AgentMessage> fresh = checked.items();
      for (Map.Entry<String, List<AgentMessage>> e : EvidenceRules.assign(mine, fresh).entrySet()) {
        writeTarget(cluster.namespace(), e.getKey(), e.getValue(), now);
      }
      StatusUpdate.update(
              client,
              Cluster.class,
              cluster.namespace(),
              cluster.name(),
              cur -> ClusterEvidence.apply(cur, fresh, now))
          .orElseThrow(
              () ->
                  new LinkException(
                      LinkException.Reason.UNKNOWN_CLUSTER,
                      "cluster " + cluster + " was removed from the hub"));
      alarms(c, fresh);
      LOG.debug("{}: evidence up to {} stored", cluster, batch.upTo());
    } catch (KubernetesClientException | PublishException e) {
      throw unavailable(cluster, e);
    }
  }

  private void writeTarget(String namespace, String name, List<AgentMessage> items, Instant now) {
    Optional<Target> written =
        StatusUpdate.update(
            client, Target.class, namespace, name, t -> TargetEvidence.apply(t, items, now));
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
            client
                .resources(Target.class)
                .inNamespace(namespace)
                .withName(name)
                .edit(
                    cur -> {
                      if (cur.getMetadata().getLabels() == null) {
                        cur.getMetadata().setLabels(new java.util.HashMap<>());
                      }
                      cur.getMetadata()
                          .getLabels()
                          .put(
                              Kapro.Labels.PHASE,
                              cur.getStatus() == null || cur.getStatus().getPhase() == null
                                  ? phase
                                  : cur.getStatus().getPhase().name());
                      return cur;
                    });
          } catch (KubernetesClientException e) {
            LOG.debug(
                "Target {}/{}: phase label not updated ({}); the Target reconciler will",
                namespace,
                name,
                e.getMessage());
          }
        });
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
