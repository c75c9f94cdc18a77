package io.kapro.hub.gate;

import io.kapro.api.v1alpha2.GateResult;
import io.kapro.api.v1alpha2.GateType;

/** The outcome of one gate for one Target, as recorded in the Target's status. */
public record GateOutcome(String name, GateType type, GateResult verdict, String message) {
  public static GateOutcome passed(GateCheck gate, String message) {
    return new GateOutcome(gate.name(), gate.type(), GateResult.Passed, message);
  }

  public static GateOutcome pending(GateCheck gate, String message) {
    return new GateOutcome(gate.name(), gate.type(), GateResult.Pending, message);
  }

  public static GateOutcome failed(GateCheck gate, String message) {
    return new GateOutcome(gate.name(), gate.type(), GateResult.Failed, message);
  }
}
