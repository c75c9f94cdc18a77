package io.kapro.hub.gate;

import java.time.Instant;

/**
 * A metrics gate's measurements so far for one Target (kept on the Target's gate status): how many
 * were taken, the successes in a row, the failures, when the last was taken and what it found.
 */
public record MetricsObservation(
    String stage,
    String cluster,
    String gate,
    int measurements,
    int consecutiveSuccesses,
    int failures,
    Instant lastMeasuredAt,
    String last) {

  /** The counters after one more measurement. */
  public MetricsObservation next(Measurement m, Instant at) {
    boolean ok = m.result().success();
    return new MetricsObservation(
        stage,
        cluster,
        gate,
        measurements + 1,
        ok ? consecutiveSuccesses + 1 : 0,
        ok ? failures : failures + 1,
        at,
        m.result() + ": " + m.message());
  }

  /** Before the first measurement. */
  public static MetricsObservation none(String stage, String cluster, String gate) {
    return new MetricsObservation(stage, cluster, gate, 0, 0, 0, null, null);
  }
}
