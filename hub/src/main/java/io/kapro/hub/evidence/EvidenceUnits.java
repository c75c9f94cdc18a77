package io.kapro.hub.evidence;

import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.Evidence;
import io.kapro.agent.v1.UnitEvidence;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.UnitVersion;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Evidence may speak only of units the hub sent the cluster: a unit is kept when a Target of the
 * cluster whose bundle the evidence covers (bundle sequence at most the evidence's, or not yet
 * recorded) names it, or when the Cluster already shows a proven version of it (a unit carried in
 * the bundle from an earlier run). Other units are dropped before anything is written, with the
 * reason returned (for the log, a metric and an Event), so a hostile agent cannot add names to
 * Cluster status. Pure.
 */
final class EvidenceUnits {
  /** Evidence items after the check, and one entry per item that lost units (empty when none). */
  record Checked(List<AgentMessage> items, List<Dropped> dropped) {}

  /**
   * Units one evidence item lost: why (a metric label), how many, and the line for the log and the
   * Cluster's Event.
   */
  record Dropped(String reason, int units, String message) {}

  /** The reason when evidence names a unit the hub did not send the cluster. */
  static final String NOT_SENT = "UnitNotSent";

  private EvidenceUnits() {}

  static Checked restrict(Cluster cluster, List<Target> targets, List<AgentMessage> items) {
    List<AgentMessage> out = new ArrayList<>(items.size());
    List<Dropped> dropped = new ArrayList<>();
    Set<String> proven =
        cluster.getStatus() == null || cluster.getStatus().getVersions() == null
            ? Set.of()
            : cluster.getStatus().getVersions().keySet();
    for (AgentMessage m : items) {
      if (!m.hasEvidence()) {
        out.add(m);
        continue;
      }
      Evidence e = m.getEvidence();
      Set<String> allowed = new LinkedHashSet<>(proven);
      for (Target t : targets) {
        long seq = EvidenceRules.sequence(t);
        if (seq <= e.getBundleSequence() && t.getSpec() != null && t.getSpec().getUnits() != null) {
          t.getSpec().getUnits().stream().map(UnitVersion::getName).forEach(allowed::add);
        }
      }
      List<UnitEvidence> kept =
          e.getUnitsList().stream().filter(u -> allowed.contains(u.getUnit())).toList();
      if (kept.size() == e.getUnitsCount()) {
        out.add(m);
        continue;
      }
      List<String> foreign =
          e.getUnitsList().stream()
              .map(UnitEvidence::getUnit)
              .filter(u -> !allowed.contains(u))
              .toList();
      dropped.add(
          new Dropped(
              NOT_SENT,
              foreign.size(),
              "evidence #"
                  + e.getNumber()
                  + " names "
                  + foreign.size()
                  + " unit(s) the hub did not send in bundle seq-"
                  + e.getBundleSequence()
                  + " ("
                  + foreign.stream()
                      .limit(5)
                      .map(u -> "'" + u + "'")
                      .collect(Collectors.joining(", "))
                  + (foreign.size() > 5 ? ", …" : "")
                  + "); dropped, not written"));
      out.add(m.toBuilder().setEvidence(e.toBuilder().clearUnits().addAllUnits(kept)).build());
    }
    return new Checked(out, dropped);
  }
}
