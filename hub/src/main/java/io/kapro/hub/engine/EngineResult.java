package io.kapro.hub.engine;

import java.time.Instant;
import java.util.List;

/**
 * What the engine decided: the decisions in the order to apply them, the run summary after them,
 * audit entries, and when to look again if nothing else happens (null: only on change).
 */
public record EngineResult(
    List<EngineDecision> decisions, RunCounts summary, List<AuditRecord> audit, Instant wakeAt) {
  public EngineResult {
    decisions = List.copyOf(decisions);
    audit = List.copyOf(audit);
  }
}
