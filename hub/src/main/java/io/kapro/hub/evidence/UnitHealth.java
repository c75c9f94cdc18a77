package io.kapro.hub.evidence;

import io.kapro.agent.v1.ObservedCondition;
import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.DriftedField;
import io.kapro.api.v1alpha2.UnitEvidence;
import io.kapro.api.v1alpha2.UnitPhase;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code Degraded} and {@code Drifted} conditions of a Target or Cluster, from the units of the
 * agent's latest evidence, and the upstream reason of an unhealthy unit. Pure.
 */
final class UnitHealth {
  /** A Kubernetes condition reason. */
  private static final Pattern REASON = Pattern.compile("[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?");

  private UnitHealth() {}

  /**
   * The local controller's reason for an unhealthy unit: {@code Stalled=True}, else {@code
   * Ready=False}, else an Argo CD {@code Health} that is not Healthy, else any {@code False}
   * condition; empty when none says.
   */
  static String upstreamReason(List<ObservedCondition> conditions) {
    for (String type : List.of("Stalled", "Ready", "Health")) {
      for (ObservedCondition c : conditions) {
        if (!c.getType().equals(type)) {
          continue;
        }
        boolean bad =
            switch (type) {
              case "Stalled" -> c.getStatus().equals("True");
              case "Ready" -> c.getStatus().equals("False");
              default -> !c.getStatus().equals("Healthy") && !c.getStatus().isEmpty();
            };
        if (bad) {
          String r = c.getReason().isEmpty() ? c.getStatus() : c.getReason();
          return REASON.matcher(r).matches() ? r : "";
        }
      }
    }
    for (ObservedCondition c : conditions) {
      if (c.getStatus().equals("False") && REASON.matcher(c.getReason()).matches()) {
        return c.getReason();
      }
    }
    return "";
  }

  /** Copies one unit's evidence from the wire. */
  static UnitEvidence of(io.kapro.agent.v1.UnitEvidence u) {
    UnitEvidence ue = new UnitEvidence();
    ue.setUnit(u.getUnit());
    ue.setPhase(TargetEvidence.phase(u.getPhase()));
    ue.setObservedRevision(emptyToNull(u.getObservedRevision()));
    ue.setMessage(emptyToNull(TargetEvidence.truncate(u.getMessage())));
    ue.setObservedAt(
        u.hasObservedAt()
            ? io.kapro.hub.kube.Times.format(TargetEvidence.instant(u.getObservedAt()))
            : null);
    if (ue.getPhase() == UnitPhase.Degraded || ue.getPhase() == UnitPhase.Failed) {
      ue.setReason(emptyToNull(upstreamReason(u.getConditionsList())));
    }
    if (u.getDriftCount() > 0) {
      ue.setDrift(
          u.getDriftList().stream()
              .limit(16)
              .map(
                  d ->
                      new DriftedField(
                          TargetEvidence.truncate(d.getPath()),
                          TargetEvidence.truncate(d.getDesired()),
                          TargetEvidence.truncate(d.getObserved())))
              .toList());
    }
    ue.setReapplied(u.getReapplied() == 0 ? null : u.getReapplied());
    ue.setOwnerConflict(emptyToNull(TargetEvidence.truncate(u.getOwnerConflict())));
    return ue;
  }

  /** Sets {@code Degraded} and {@code Drifted} from {@code units}; returns the new list. */
  static List<Condition> conditions(
      List<Condition> current, List<UnitEvidence> units, Long generation, Instant now) {
    List<Condition> out = Conditions.set(current, degraded(units, generation), now);
    return Conditions.set(out, drifted(units, generation), now);
  }

  static Condition degraded(List<UnitEvidence> units, Long generation) {
    List<UnitEvidence> bad =
        units.stream()
            .filter(u -> u.getPhase() == UnitPhase.Degraded || u.getPhase() == UnitPhase.Failed)
            .toList();
    if (bad.isEmpty()) {
      return Conditions.of(
          Kapro.ConditionTypes.DEGRADED,
          ConditionStatus.False,
          Kapro.Reasons.HEALTHY,
          "no unit is Degraded or Failed by its controller's verdict",
          generation);
    }
    UnitEvidence first = bad.getFirst();
    String reason = first.getReason() == null ? Kapro.Reasons.DEGRADED : first.getReason();
    String message =
        bad.stream()
            .map(
                u ->
                    "unit "
                        + u.getUnit()
                        + " "
                        + u.getPhase()
                        + (u.getMessage() == null ? "" : ": " + u.getMessage()))
            .collect(Collectors.joining("; "));
    return Conditions.of(
        Kapro.ConditionTypes.DEGRADED,
        ConditionStatus.True,
        reason,
        TargetEvidence.truncate(message),
        generation);
  }

  static Condition drifted(List<UnitEvidence> units, Long generation) {
    List<UnitEvidence> conflict = units.stream().filter(u -> u.getOwnerConflict() != null).toList();
    if (!conflict.isEmpty()) {
      return Conditions.of(
          Kapro.ConditionTypes.DRIFTED,
          ConditionStatus.True,
          Kapro.Reasons.OWNER_CONFLICT,
          TargetEvidence.truncate(
              conflict.stream()
                      .map(u -> "unit " + u.getUnit() + ": " + u.getOwnerConflict())
                      .collect(Collectors.joining("; "))
                  + "; the agent stopped reapplying: make Kapro the only writer of the field"
                  + " (docs/operations.md, GitOps repository layout)"),
          generation);
    }
    List<UnitEvidence> drifted =
        units.stream().filter(u -> u.getDrift() != null && !u.getDrift().isEmpty()).toList();
    if (!drifted.isEmpty()) {
      return Conditions.of(
          Kapro.ConditionTypes.DRIFTED,
          ConditionStatus.True,
          Kapro.Reasons.FIELD_DRIFTED,
          TargetEvidence.truncate(
              drifted.stream()
                  .map(
                      u ->
                          "unit "
                              + u.getUnit()
                              + ": "
                              + u.getDrift().stream()
                                  .map(DriftedField::toString)
                                  .collect(Collectors.joining(", ")))
                  .collect(Collectors.joining("; "))),
          generation);
    }
    int reapplied =
        units.stream().mapToInt(u -> u.getReapplied() == null ? 0 : u.getReapplied()).sum();
    if (reapplied > 0) {
      return Conditions.of(
          Kapro.ConditionTypes.DRIFTED,
          ConditionStatus.False,
          Kapro.Reasons.REAPPLIED,
          "the agent put drifted fields back " + reapplied + " time(s); every field holds again",
          generation);
    }
    return Conditions.of(
        Kapro.ConditionTypes.DRIFTED,
        ConditionStatus.False,
        Kapro.Reasons.IN_SYNC,
        "every managed field holds the bundle's value",
        generation);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
