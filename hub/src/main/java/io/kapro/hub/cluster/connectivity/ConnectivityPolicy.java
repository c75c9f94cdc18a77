package io.kapro.hub.cluster.connectivity;

import java.time.Duration;
import java.time.Instant;

/**
 * The rule, pure: a cluster is {@code Connected=Unknown} once three heartbeat intervals pass
 * without a sign of life. The Cluster reconciler can apply it to {@code status.lastSeen} too.
 */
public final class ConnectivityPolicy {
  /** Heartbeats that may be missed before the link counts as lost. */
  public static final int MISSED_HEARTBEATS = 3;

  private ConnectivityPolicy() {}

  /** The window after the last sign of life. */
  public static Duration window(Duration heartbeatInterval) {
    return heartbeatInterval.multipliedBy(MISSED_HEARTBEATS);
  }

  /** True while {@code now} is within the window after {@code lastSeen}. */
  public static boolean alive(Instant lastSeen, Duration heartbeatInterval, Instant now) {
    return now.isBefore(lastSeen.plus(window(heartbeatInterval)));
  }
}
