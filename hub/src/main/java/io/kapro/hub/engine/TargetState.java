package io.kapro.hub.engine;

import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.gate.GateOutcome;
import java.time.Instant;
import java.util.List;

/**
 * A Target of the run as it stands: its wave, phase, when the phase last changed, when its bundle
 * was published (null until then), whether it is a rollback, its recorded gate results and message.
 */
public record TargetState(
    String stage,
    String cluster,
    int wave,
    TargetPhase phase,
    Instant since,
    Instant publishedAt,
    boolean rollback,
    List<GateOutcome> gates,
    String message) {
  public TargetState {
    phase = phase == null ? TargetPhase.Pending : phase;
    gates = gates == null ? List.of() : List.copyOf(gates);
  }

  public TargetKey key() {
    return new TargetKey(stage, cluster);
  }

  public static TargetState pending(String stage, String cluster, int wave, Instant since) {
    return new TargetState(
        stage, cluster, wave, TargetPhase.Pending, since, null, false, List.of(), null);
  }
}
