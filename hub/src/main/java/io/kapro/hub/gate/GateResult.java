package io.kapro.hub.gate;

/** The outcome of one gate for one Target, as recorded in the Target's status. */
public record GateResult(String name, GateType type, Verdict verdict, String message) {
  public static GateResult passed(Gate gate, String message) {
    return new GateResult(gate.name(), gate.type(), Verdict.Passed, message);
  }

  public static GateResult pending(Gate gate, String message) {
    return new GateResult(gate.name(), gate.type(), Verdict.Pending, message);
  }

  public static GateResult failed(Gate gate, String message) {
    return new GateResult(gate.name(), gate.type(), Verdict.Failed, message);
  }
}
