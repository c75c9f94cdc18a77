package io.kapro.api.v1alpha2;

/** Kinds of gate. */
public enum GateType {
  /** An Approval object must approve. */
  Approval,
  /** Wait a duration after the previous stage converged. */
  Soak,
  /** Every target of the dependencies is still converged. */
  Health,
  /** Only inside allowed time windows. */
  TimeWindow,
  /** An HTTP endpoint answers 2xx. */
  Webhook,
  /** A Prometheus query holds its condition a number of times in a row. */
  Metrics
}
