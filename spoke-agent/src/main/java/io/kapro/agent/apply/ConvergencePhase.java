package io.kapro.agent.apply;

import io.kapro.agent.v1.UnitPhase;

/** Where a unit stands on the spoke after its bundle was applied. */
public enum ConvergencePhase {
  /** Patched; the controller has not picked the change up yet. */
  APPLIED(UnitPhase.UNIT_PHASE_APPLIED),
  /** The controller is working on the desired revision. */
  PROGRESSING(UnitPhase.UNIT_PHASE_PROGRESSING),
  /** Runs the desired revision, ready and healthy. */
  CONVERGED(UnitPhase.UNIT_PHASE_CONVERGED),
  /** The controller reports a problem it may recover from. */
  DEGRADED(UnitPhase.UNIT_PHASE_DEGRADED),
  /** The controller gave up. */
  FAILED(UnitPhase.UNIT_PHASE_FAILED);

  private final UnitPhase wire;

  ConvergencePhase(UnitPhase wire) {
    this.wire = wire;
  }

  /** The phase on the wire. */
  public UnitPhase toProto() {
    return wire;
  }

  /** Converged and Failed are final for a bundle; Degraded may still recover. */
  public boolean settled() {
    return this == CONVERGED || this == FAILED;
  }
}
