package io.kapro.api;

import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.ConditionStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads and updates a status's {@code conditions[]} the Kubernetes way: one entry per type, and
 * {@code lastTransitionTime} changes only when the status changes. Pure Java.
 */
public final class Conditions {
  private Conditions() {}

  /** The condition of the given type, if present. */
  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** Whether the condition of the given type is present with status True. */
  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> c.getStatus() == ConditionStatus.True).orElse(false);
  }

  /**
   * A new condition.
   *
   * @param type e.g. {@link Kapro.ConditionTypes#READY}
   * @param status True, False or Unknown
   * @param reason CamelCase, e.g. {@link Kapro.Reasons#INVALID_SPEC}
   * @param message what happened, for a person
   * @param observedGeneration metadata.generation the condition was computed from (may be null)
   */
  public static Condition of(
      String type, ConditionStatus status, String reason, String message, Long observedGeneration) {
    Condition c = new Condition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
    c.setObservedGeneration(observedGeneration);
    return c;
  }

  /**
   * Returns a copy of {@code conditions} with {@code next} in place of the condition of the same
   * type. {@code lastTransitionTime} is {@code now} when the status changed (or the type is new),
   * else the previous one. Nothing else in the list changes; the input is not modified.
   *
   * @return the new list (equal to the old one when nothing changed, so a reconciler can skip the
   *     write)
   */
  public static List<Condition> set(List<Condition> conditions, Condition next, Instant now) {
    List<Condition> out = new ArrayList<>();
    boolean replaced = false;
    for (Condition c : conditions == null ? List.<Condition>of() : conditions) {
      if (Objects.equals(c.getType(), next.getType())) {
        out.add(merged(c, next, now));
        replaced = true;
      } else {
        out.add(c);
      }
    }
    if (!replaced) {
      out.add(merged(null, next, now));
    }
    return out;
  }

  private static Condition merged(Condition previous, Condition next, Instant now) {
    Condition c =
        of(
            next.getType(),
            next.getStatus(),
            next.getReason(),
            next.getMessage(),
            next.getObservedGeneration());
    boolean transition = previous == null || previous.getStatus() != next.getStatus();
    c.setLastTransitionTime(
        transition || previous.getLastTransitionTime() == null
            ? now.toString()
            : previous.getLastTransitionTime());
    return c;
  }
}
