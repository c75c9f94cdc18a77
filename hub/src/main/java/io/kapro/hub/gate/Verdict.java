package io.kapro.hub.gate;

/** A gate's answer for one Target now. */
public enum Verdict {
  Pending,
  Passed,
  Failed
}
