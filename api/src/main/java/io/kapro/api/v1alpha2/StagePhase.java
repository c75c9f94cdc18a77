package io.kapro.api.v1alpha2;

/** Phase of one stage of a run. */
public enum StagePhase {
  Pending,
  Waiting,
  Running,
  Soaking,
  Succeeded,
  Failed,
  Skipped;

  /** Latched: once a stage is done, the engine never reopens it. */
  public boolean done() {
    return this == Succeeded || this == Failed || this == Skipped;
  }

  /** Done in a way that lets downstream stages go on. */
  public boolean unlocksDownstream() {
    return this == Succeeded || this == Skipped;
  }
}
