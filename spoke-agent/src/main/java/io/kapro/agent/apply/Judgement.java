package io.kapro.agent.apply;

import java.util.List;

/**
 * The judge's verdict on one unit.
 *
 * @param phase where the unit stands
 * @param observedRevision what the controller reports as applied (Flux revision, Argo CD sync
 *     revision), empty if nothing yet
 * @param message why, in words a person can act on (the controller's own message on failure)
 * @param conditions the object's relevant conditions
 */
public record Judgement(
    ConvergencePhase phase,
    String observedRevision,
    String message,
    List<ObservedCondition> conditions) {
  public Judgement {
    conditions = List.copyOf(conditions);
    message = ObservedCondition.truncate(message);
  }
}
