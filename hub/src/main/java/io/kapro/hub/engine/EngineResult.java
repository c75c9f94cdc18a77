package io.kapro.hub.engine;

import java.time.Instant;
import java.util.List;

/**
 * What the engine decided: the decisions in the order to apply them, the run summary after them,
 * audit entries, when to look again if nothing else happens (null: only on change), and why the run
 * stands where it does after this step, for its status (e.g. waiting for unreachable clusters; null
 * when there is nothing to add to the phase).
 */
public record EngineResult(
    List<EngineDecision> decisions,
    RunCounts summary,
    List<AuditRecord> audit,
    Instant wakeAt,
    String message) {
  public EngineResult {
    decisions = List.copyOf(decisions);
    audit = List.copyOf(audit);
  }
}
