package io.kapro.hub.evidence;

import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.BundleRejection;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.UnitVersion;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which Targets an evidence item is about. A Target of the cluster is concerned by evidence for
 * bundle sequence S when its own bundle's sequence is at most S (so re-issued bundles count), every
 * unit of the Target appears in the evidence with the Target's version as the desired version, and
 * no later-published Target of the cluster sets one of its units (a newer publish replaced it). A
 * rejection concerns the Target whose bundle it names, or (for a re-issued bundle) the in-flight
 * Targets that are newest for their units.
 */
final class EvidenceRules {
  /** Phases evidence may move a Target out of. */
  static final Set<TargetPhase> EVIDENCE_PHASES =
      EnumSet.of(
          TargetPhase.Publishing,
          TargetPhase.Published,
          TargetPhase.Applied,
          TargetPhase.Progressing,
          TargetPhase.Converged,
          TargetPhase.Degraded);

  private static final Set<TargetPhase> REJECTABLE =
      EnumSet.of(
          TargetPhase.Publishing,
          TargetPhase.Published,
          TargetPhase.Applied,
          TargetPhase.Progressing,
          TargetPhase.Degraded);

  private EvidenceRules() {}

  /** Target name → the items (in number order) that concern it. */
  static Map<String, List<AgentMessage>> assign(List<Target> targets, List<AgentMessage> items) {
    Map<String, List<AgentMessage>> out = new LinkedHashMap<>();
    for (AgentMessage m : items) {
      for (Target t : concerned(targets, m)) {
        out.computeIfAbsent(t.getMetadata().getName(), k -> new ArrayList<>()).add(m);
      }
    }
    return out;
  }

  static List<Target> concerned(List<Target> targets, AgentMessage m) {
    List<Target> out = new ArrayList<>();
    if (m.hasEvidence()) {
      long s = m.getEvidence().getBundleSequence();
      Map<String, String> desired = new LinkedHashMap<>();
      m.getEvidence().getUnitsList().forEach(u -> desired.put(u.getUnit(), u.getDesiredVersion()));
      for (Target t : targets) {
        if (EVIDENCE_PHASES.contains(phase(t))
            && sequence(t) > 0
            && sequence(t) <= s
            && unitsMatch(t, desired)
            && newest(t, targets, s)) {
          out.add(t);
        }
      }
    } else if (m.hasRejection()) {
      BundleRejection r = m.getRejection();
      for (Target t : targets) {
        if (REJECTABLE.contains(phase(t))
            && ((r.getBundleSequence() > 0 && sequence(t) == r.getBundleSequence())
                || (!r.getBundleDigest().isEmpty() && r.getBundleDigest().equals(digest(t))))) {
          out.add(t);
        }
      }
      if (out.isEmpty() && r.getBundleSequence() > 0) {
        for (Target t : targets) {
          if (REJECTABLE.contains(phase(t))
              && sequence(t) > 0
              && sequence(t) <= r.getBundleSequence()
              && newest(t, targets, r.getBundleSequence())) {
            out.add(t);
          }
        }
      }
    }
    return out;
  }

  /**
   * Whether a rejection fails the Target: a stale sequence only means something newer won; an agent
   * that cannot read its state, or whose applied bundle expired, reports a fault of the agent or
   * the channel, not of the bundle (shown in the Target's message); and an integrity rejection
   * ({@link #transportAlarm}) blames the registry or mirror, not the Target.
   */
  static boolean fails(BundleRejection r) {
    if (transportAlarm(r)) {
      return false;
    }
    return switch (r.getReason()) {
      case REJECTION_REASON_STALE_SEQUENCE,
          REJECTION_REASON_STATE_UNAVAILABLE,
          REJECTION_REASON_APPLIED_BUNDLE_EXPIRED ->
          false;
      default -> true;
    };
  }

  /**
   * Whether a rejection says the bytes served differ from what the hub signed (UNSIGNED,
   * LAYER_DIGEST_MISMATCH, …; {@link io.kapro.oci.OciException.Reason#isTransportIntegrity}): an
   * alarm on the Cluster, while the agent retries the same digest.
   */
  static boolean transportAlarm(BundleRejection r) {
    String name = r.getReason().name().replaceFirst("^REJECTION_REASON_", "");
    for (io.kapro.oci.OciException.Reason reason : io.kapro.oci.OciException.Reason.values()) {
      if (reason.name().equals(name)) {
        return reason.isTransportIntegrity();
      }
    }
    return false;
  }

  private static boolean unitsMatch(Target t, Map<String, String> desired) {
    List<UnitVersion> units = t.getSpec() == null ? null : t.getSpec().getUnits();
    if (units == null || units.isEmpty()) {
      return false;
    }
    for (UnitVersion u : units) {
      if (!u.getVersion().equals(desired.get(u.getName()))) {
        return false;
      }
    }
    return true;
  }

  private static boolean newest(Target t, List<Target> all, long upTo) {
    Set<String> mine = names(t);
    long seq = sequence(t);
    for (Target other : all) {
      long o = sequence(other);
      if (other != t && o > seq && o <= upTo && names(other).stream().anyMatch(mine::contains)) {
        return false;
      }
    }
    return true;
  }

  private static Set<String> names(Target t) {
    Set<String> out = new HashSet<>();
    if (t.getSpec() != null && t.getSpec().getUnits() != null) {
      t.getSpec().getUnits().forEach(u -> out.add(u.getName()));
    }
    return out;
  }

  static TargetPhase phase(Target t) {
    return t.getStatus() == null ? null : t.getStatus().getPhase();
  }

  static long sequence(Target t) {
    return t.getStatus() == null
            || t.getStatus().getBundle() == null
            || t.getStatus().getBundle().getSequence() == null
        ? 0
        : t.getStatus().getBundle().getSequence();
  }

  private static String digest(Target t) {
    return t.getStatus() == null || t.getStatus().getBundle() == null
        ? null
        : t.getStatus().getBundle().getDigest();
  }
}
