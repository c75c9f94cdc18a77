package io.kapro.hub.plan;

/** When a stage with several dependencies may start: after all of them, or after any one. */
public enum Unlock {
  All,
  Any
}
