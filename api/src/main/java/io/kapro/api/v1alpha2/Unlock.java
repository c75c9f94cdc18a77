package io.kapro.api.v1alpha2;

/** How a stage's dependencies unlock it. */
public enum Unlock {
  All,
  Any
}
