package io.kapro.hub.gateway;

import java.time.Duration;

/**
 * The settings sent to an agent after its hello (from the cluster's Fleet).
 *
 * @param heartbeatInterval how often the agent sends a heartbeat (1 s to 1 h)
 * @param pollInterval how often the agent polls its bundle source (1 s to 1 day)
 */
public record LinkSettings(Duration heartbeatInterval, Duration pollInterval) {
  /** The Fleet defaults: 30 s heartbeat, 30 s poll. */
  public static final LinkSettings DEFAULTS =
      new LinkSettings(Duration.ofSeconds(30), Duration.ofSeconds(30));

  public LinkSettings {
    check("heartbeatInterval", heartbeatInterval, Duration.ofHours(1));
    check("pollInterval", pollInterval, Duration.ofDays(1));
  }

  private static void check(String field, Duration d, Duration max) {
    if (d == null || d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(max) > 0) {
      throw new IllegalArgumentException(field + " must be between 1s and " + max + ", got " + d);
    }
  }
}
