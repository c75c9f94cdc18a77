package io.kapro.hub.gate;

/** The kinds of gate a plan stage can carry. */
public enum GateType {
  Approval,
  Soak,
  Health,
  TimeWindow,
  Webhook
}
