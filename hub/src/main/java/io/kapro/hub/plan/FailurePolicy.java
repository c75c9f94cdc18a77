package io.kapro.hub.plan;

/** What a stage does when it fails: stop the run, skip the stage, or roll its clusters back. */
public enum FailurePolicy {
  Halt,
  Skip,
  Rollback
}
