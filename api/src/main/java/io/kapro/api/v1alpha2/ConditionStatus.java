package io.kapro.api.v1alpha2;

/** Status of a {@link Condition}. */
public enum ConditionStatus {
  True,
  False,
  Unknown
}
