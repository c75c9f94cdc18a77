package io.kapro.agent.drift;

import java.time.Duration;

/**
 * How the agent paces drift handling.
 *
 * @param reapplyInterval the shortest time between two reapplies of one object (rate limit)
 * @param conflictReverts reverts of one field within {@code conflictWindow} that make an owner
 *     conflict; then the agent stops reapplying that bundle and reports the owner
 * @param conflictWindow the window reverts are counted in
 */
public record DriftOptions(Duration reapplyInterval, int conflictReverts, Duration conflictWindow) {
  /** At most one reapply per object every 10 s; 3 reverts within 10 minutes are a conflict. */
  public static final DriftOptions DEFAULTS =
      new DriftOptions(Duration.ofSeconds(10), 3, Duration.ofMinutes(10));

  public DriftOptions {
    if (reapplyInterval.isNegative() || conflictReverts < 2 || !conflictWindow.isPositive()) {
      throw new IllegalArgumentException(
          "drift options: reapplyInterval ≥ 0, conflictReverts ≥ 2, conflictWindow > 0");
    }
  }
}
