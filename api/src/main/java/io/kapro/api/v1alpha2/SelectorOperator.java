package io.kapro.api.v1alpha2;

/** Operator of a {@link LabelSelectorRequirement}. */
public enum SelectorOperator {
  In,
  NotIn,
  Exists,
  DoesNotExist
}
