package io.kapro.hub.evidence;

import com.google.protobuf.Timestamp;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.BundleRejection;
import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Evidence;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.TargetStatus;
import io.kapro.api.v1alpha2.UnitEvidence;
import io.kapro.api.v1alpha2.UnitPhase;
import io.kapro.api.v1alpha2.UnitVersion;
import io.kapro.hub.kube.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Folds evidence items into one Target's status: latest evidence (idempotent by number: items at or
 * below {@code status.evidence.number} are ignored), phase from the units' phases, rejections as
 * {@code Failed} with the reason. Mutates in place; returns whether anything changed.
 */
final class TargetEvidence {
  private TargetEvidence() {}

  static boolean apply(Target t, List<AgentMessage> items, Instant now) {
    TargetStatus s = t.getStatus();
    if (s == null) {
      return false;
    }
    long done =
        s.getEvidence() == null || s.getEvidence().getNumber() == null
            ? 0
            : s.getEvidence().getNumber();
    boolean changed = false;
    for (AgentMessage m : items) {
      long n = m.hasEvidence() ? m.getEvidence().getNumber() : m.getRejection().getNumber();
      if (n <= done) {
        continue;
      }
      done = n;
      changed = true;
      if (m.hasEvidence()) {
        evidence(t, m.getEvidence(), now);
      } else {
        rejection(t, m.getRejection(), now);
      }
    }
    return changed;
  }

  private static void evidence(Target t, io.kapro.agent.v1.Evidence e, Instant now) {
    TargetStatus s = t.getStatus();
    Set<String> mine =
        t.getSpec().getUnits().stream().map(UnitVersion::getName).collect(Collectors.toSet());
    Evidence out = new Evidence();
    out.setNumber(e.getNumber());
    out.setReceivedAt(Times.format(now));
    List<UnitEvidence> units = new ArrayList<>();
    for (io.kapro.agent.v1.UnitEvidence u : e.getUnitsList()) {
      if (mine.contains(u.getUnit())) {
        units.add(UnitHealth.of(u));
      }
    }
    out.setUnits(units);
    s.setEvidence(out);
    s.setConditions(
        UnitHealth.conditions(s.getConditions(), units, t.getMetadata().getGeneration(), now));
    if (!EvidenceRules.EVIDENCE_PHASES.contains(s.getPhase())) {
      return;
    }
    TargetPhase next = targetPhase(units);
    // no evidence number in the message: a resync of the same state must read the same
    // (status.evidence.number carries it), or every resync would be a visible change
    String message =
        "bundle seq-"
            + e.getBundleSequence()
            + ": "
            + units.stream()
                .map(
                    u ->
                        u.getUnit()
                            + " "
                            + u.getPhase()
                            + (u.getMessage() == null ? "" : " (" + u.getMessage() + ")"))
                .collect(Collectors.joining(", "));
    move(t, next, truncate(message), now);
  }

  private static void rejection(Target t, BundleRejection r, Instant now) {
    TargetStatus s = t.getStatus();
    Evidence out = new Evidence();
    out.setNumber(r.getNumber());
    out.setReceivedAt(Times.format(now));
    out.setUnits(List.of());
    s.setEvidence(out);
    String reason = r.getReason().name().replaceFirst("^REJECTION_REASON_", "");
    String message =
        truncate(
            "bundle seq-"
                + r.getBundleSequence()
                + " rejected by the agent ("
                + reason
                + "): "
                + r.getDetail());
    if (!EvidenceRules.fails(r)) {
      s.setMessage(message);
      return;
    }
    s.setConditions(
        Conditions.set(
            s.getConditions(),
            Conditions.of(
                Kapro.ConditionTypes.READY,
                ConditionStatus.False,
                Kapro.Reasons.BUNDLE_REJECTED,
                message,
                t.getMetadata().getGeneration()),
            now));
    move(t, TargetPhase.Failed, message, now);
  }

  private static void move(Target t, TargetPhase next, String message, Instant now) {
    TargetStatus s = t.getStatus();
    if (!Objects.equals(s.getPhase(), next)) {
      s.setPhase(next);
      s.setSince(Times.format(now));
    }
    s.setMessage(message);
  }

  /** Failed > Degraded > all Converged > Progressing > Applied. */
  static TargetPhase targetPhase(List<UnitEvidence> units) {
    if (units.stream().anyMatch(u -> u.getPhase() == UnitPhase.Failed)) {
      return TargetPhase.Failed;
    }
    if (units.stream().anyMatch(u -> u.getPhase() == UnitPhase.Degraded)) {
      return TargetPhase.Degraded;
    }
    if (!units.isEmpty() && units.stream().allMatch(u -> u.getPhase() == UnitPhase.Converged)) {
      return TargetPhase.Converged;
    }
    if (units.stream().anyMatch(u -> u.getPhase() == UnitPhase.Progressing)) {
      return TargetPhase.Progressing;
    }
    return TargetPhase.Applied;
  }

  static UnitPhase phase(io.kapro.agent.v1.UnitPhase p) {
    return switch (p) {
      case UNIT_PHASE_APPLIED -> UnitPhase.Applied;
      case UNIT_PHASE_PROGRESSING -> UnitPhase.Progressing;
      case UNIT_PHASE_CONVERGED -> UnitPhase.Converged;
      case UNIT_PHASE_DEGRADED -> UnitPhase.Degraded;
      case UNIT_PHASE_FAILED -> UnitPhase.Failed;
      default -> UnitPhase.Pending;
    };
  }

  static Instant instant(Timestamp ts) {
    return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
  }

  static String truncate(String s) {
    return s == null || s.length() <= 1024 ? s : s.substring(0, 1021) + "...";
  }
}
