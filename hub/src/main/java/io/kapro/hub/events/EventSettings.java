package io.kapro.hub.events;

import java.time.Duration;

/**
 * Outbound delivery settings.
 *
 * @param poll how often the namespaces with something due are delivered (no request when none is:
 *     queuing an event and a failed attempt's back-off say when a namespace is due)
 * @param firstBackoff delay after the first failed attempt; doubles per attempt up to maxBackoff
 * @param maxAttempts attempts before an event is given up (counted on the Fleet)
 * @param maxAge age after which an event is given up, whatever the attempts
 * @param capacity most pending entries per namespace; more are given up at once
 * @param timeout connect and request timeout per attempt
 * @param rescan how often every namespace's outbox is read whatever is known to be due: the safety
 *     poll for entries queued by another replica or left by a stopped one (a replica that starts
 *     delivering scans at once)
 */
public record EventSettings(
    Duration poll,
    Duration firstBackoff,
    Duration maxBackoff,
    int maxAttempts,
    Duration maxAge,
    int capacity,
    Duration timeout,
    Duration rescan) {

  /** With a safety rescan every 30 polls. */
  public EventSettings(
      Duration poll,
      Duration firstBackoff,
      Duration maxBackoff,
      int maxAttempts,
      Duration maxAge,
      int capacity,
      Duration timeout) {
    this(
        poll,
        firstBackoff,
        maxBackoff,
        maxAttempts,
        maxAge,
        capacity,
        timeout,
        poll.multipliedBy(30));
  }

  public static EventSettings defaults() {
    return new EventSettings(
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ofMinutes(5),
        30,
        Duration.ofHours(24),
        2000,
        Duration.ofSeconds(10),
        Duration.ofSeconds(10));
  }

  /** Delay before attempt {@code attempts + 1}. */
  Duration backoff(int attempts) {
    Duration d = firstBackoff;
    for (int i = 1; i < attempts && d.compareTo(maxBackoff) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }
}
