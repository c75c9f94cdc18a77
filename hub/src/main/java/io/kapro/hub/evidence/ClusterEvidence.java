package io.kapro.hub.evidence;

import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.UnitEvidence;
import io.kapro.agent.v1.UnitPhase;
import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.BundleSequence;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.ProvenVersion;
import io.kapro.hub.kube.Times;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Folds evidence into Cluster status: versions proven by Converged units (the version before a
 * change goes to {@code previousVersions}), {@code sequence.acknowledged}, {@code lastSeen} and, in
 * the same write, {@code lastEvidenceNumber}; the conditions {@code Degraded} and {@code Drifted}
 * from the latest evidence (it covers every unit of the cluster's bundle). Items at or below it are
 * ignored.
 */
public final class ClusterEvidence {
  private ClusterEvidence() {}

  public static long lastNumber(Cluster c) {
    return c.getStatus() == null || c.getStatus().getLastEvidenceNumber() == null
        ? 0
        : c.getStatus().getLastEvidenceNumber();
  }

  static boolean apply(Cluster c, List<AgentMessage> items, Instant now) {
    long done = lastNumber(c);
    if (c.getStatus() == null) {
      c.setStatus(new ClusterStatus());
    }
    ClusterStatus s = c.getStatus();
    Map<String, ProvenVersion> versions =
        s.getVersions() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(s.getVersions());
    Map<String, String> previous =
        s.getPreviousVersions() == null
            ? new LinkedHashMap<>()
            : new LinkedHashMap<>(s.getPreviousVersions());
    boolean changed = false;
    io.kapro.agent.v1.Evidence latest = null;
    for (AgentMessage m : items) {
      long n = m.hasEvidence() ? m.getEvidence().getNumber() : m.getRejection().getNumber();
      if (n <= done) {
        continue;
      }
      done = n;
      changed = true;
      if (m.hasRejection()) {
        if (EvidenceRules.transportAlarm(m.getRejection())) {
          transport(c, false, alarmMessage(m.getRejection()), now);
        }
        continue;
      }
      if (!m.hasEvidence()) {
        continue;
      }
      if (m.getEvidence().getBundleSequence() > 0) {
        transport(c, true, "bundle seq-" + m.getEvidence().getBundleSequence() + " verified", now);
      }
      acknowledge(s, m.getEvidence().getBundleSequence());
      latest = m.getEvidence();
      for (UnitEvidence u : m.getEvidence().getUnitsList()) {
        if (u.getPhase() != UnitPhase.UNIT_PHASE_CONVERGED || u.getDesiredVersion().isEmpty()) {
          continue;
        }
        ProvenVersion old = versions.get(u.getUnit());
        ProvenVersion v = new ProvenVersion();
        v.setVersion(u.getDesiredVersion());
        v.setRevision(u.getObservedRevision().isEmpty() ? null : u.getObservedRevision());
        boolean same = old != null && Objects.equals(old.getVersion(), u.getDesiredVersion());
        v.setSince(same && old.getSince() != null ? old.getSince() : Times.format(now));
        if (!same && old != null && old.getVersion() != null) {
          previous.put(u.getUnit(), old.getVersion());
        }
        versions.put(u.getUnit(), v);
      }
    }
    if (!changed) {
      return false;
    }
    s.setVersions(versions);
    s.setPreviousVersions(previous.isEmpty() ? s.getPreviousVersions() : previous);
    s.setVersionSummary(
        versions.isEmpty()
            ? s.getVersionSummary()
            : versions.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().getVersion())
                .collect(Collectors.joining(",")));
    s.setLastEvidenceNumber(done);
    if (latest != null) {
      s.setConditions(
          UnitHealth.conditions(
              s.getConditions(),
              latest.getUnitsList().stream().map(UnitHealth::of).toList(),
              c.getMetadata().getGeneration(),
              now));
    }
    Instant seen = Times.parse(s.getLastSeen());
    if (seen == null || seen.isBefore(now)) {
      s.setLastSeen(Times.format(now));
    }
    return true;
  }

  /** The Cluster's transport alarm message for an integrity rejection (capped). */
  static String alarmMessage(io.kapro.agent.v1.BundleRejection r) {
    String m =
        "bundle "
            + r.getBundleDigest()
            + " as served failed verification ("
            + r.getReason().name().replaceFirst("^REJECTION_REASON_", "")
            + "): "
            + r.getDetail()
            + "; the agent retries; check the registry or mirror between hub and cluster";
    return m.length() > 1024 ? m.substring(0, 1023) + "…" : m;
  }

  /** Sets BundleTransport (only a False→True change or a new alarm is a change). */
  private static void transport(Cluster c, boolean ok, String message, Instant now) {
    ClusterStatus s = c.getStatus();
    java.util.Optional<io.kapro.api.v1alpha2.Condition> cur =
        Conditions.find(s.getConditions(), Kapro.ConditionTypes.BUNDLE_TRANSPORT);
    if (ok && cur.isEmpty()) {
      return; // no alarm was ever raised: nothing to clear
    }
    if (ok && cur.get().getStatus() == ConditionStatus.True) {
      return;
    }
    s.setConditions(
        Conditions.set(
            s.getConditions(),
            Conditions.of(
                Kapro.ConditionTypes.BUNDLE_TRANSPORT,
                ok ? ConditionStatus.True : ConditionStatus.False,
                ok ? Kapro.Reasons.BUNDLE_VERIFIED : Kapro.Reasons.INTEGRITY_REJECTED,
                message,
                c.getMetadata().getGeneration()),
            now));
  }

  private static void acknowledge(ClusterStatus s, long sequence) {
    if (sequence <= 0) {
      return;
    }
    if (s.getSequence() == null) {
      s.setSequence(new BundleSequence());
    }
    Long ack = s.getSequence().getAcknowledged();
    if (ack == null || ack < sequence) {
      s.getSequence().setAcknowledged(sequence);
    }
  }
}
