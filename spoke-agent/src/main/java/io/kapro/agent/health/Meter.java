package io.kapro.agent.health;

/** One metric family of {@link MetricsRegistry}: it writes its own lines of the exposition. */
sealed interface Meter permits Counter, Gauge, Timer {
  /** The family's name as exposed (the registry orders families by it). */
  String name();

  /** Appends the family's HELP, TYPE and samples; nothing when it has no sample yet. */
  void writeTo(StringBuilder out);
}
