package io.kapro.api.v1alpha2;

/** Phase of a Target. */
public enum TargetPhase {
  Pending,
  Waiting,
  Publishing,
  Published,
  Applied,
  Progressing,
  Converged,
  Degraded,
  Failed,
  Skipped,
  Superseded,
  /** The run was aborted before this Target was published. */
  Cancelled;

  /** Not yet eligible to publish: Pending or Waiting. */
  public boolean unstarted() {
    return this == Pending || this == Waiting;
  }

  /** Eligible and not finished: Publishing, Published, Applied, Progressing. */
  public boolean inFlight() {
    return this == Publishing || this == Published || this == Applied || this == Progressing;
  }

  /** Not started or in flight. */
  public boolean unfinished() {
    return unstarted() || inFlight();
  }

  /** Counts against a stage's maxUnavailable. */
  public boolean unavailable() {
    return this == Degraded || this == Failed;
  }
}
