package io.kapro.api.v1alpha2;

/** What a run does when a stage fails. */
public enum OnFailure {
  Halt,
  Skip,
  Rollback
}
