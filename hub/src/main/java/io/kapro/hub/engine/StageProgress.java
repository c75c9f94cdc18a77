package io.kapro.hub.engine;

import io.kapro.api.v1alpha2.StagePhase;
import java.time.Instant;

/** A stage's progress as recorded in the PromotionRun status (written from StageTransitions). */
public record StageProgress(
    String name,
    StagePhase phase,
    int currentWave,
    Instant startedAt,
    Instant convergedAt,
    String message) {
  public static StageProgress pending(String name) {
    return new StageProgress(name, StagePhase.Pending, 0, null, null, null);
  }
}
