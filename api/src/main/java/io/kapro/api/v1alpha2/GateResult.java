package io.kapro.api.v1alpha2;

/** Result of a gate. */
public enum GateResult {
  Pending,
  Passed,
  Failed
}
