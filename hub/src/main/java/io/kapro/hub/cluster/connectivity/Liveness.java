package io.kapro.hub.cluster.connectivity;

import java.time.Duration;

/**
 * How often a connected cluster's liveness reaches the API server (docs/design/api-budget.md): the
 * replica holding the agent's stream renews the cluster's coordination Lease every {@code
 * leaseRenew} (valid for {@code leaseDuration}), and refreshes {@code status.lastSeen} of the
 * Cluster every {@code statusRefresh}; transitions (connected, heartbeats missed, a new agent
 * version or certificate) are written at once. Heartbeats themselves stay in memory on that replica
 * ({@link ConnectivityTracker}), as Kubernetes keeps node heartbeats off Node status.
 *
 * @param leaseRenew how often the stream-holding replica renews the Lease
 * @param leaseDuration how long a renewal stays valid; a Lease not renewed for that long means no
 *     replica holds the agent (the replica died with it)
 * @param statusRefresh how often an unchanged connected Cluster's {@code status.lastSeen} is
 *     refreshed
 */
public record Liveness(Duration leaseRenew, Duration leaseDuration, Duration statusRefresh) {
  /**
   * 10-minute renewals valid for 30 minutes, lastSeen refreshed every 30 minutes: 6 + 2 = 8 writes
   * per idle connected cluster-hour (the budget is 12).
   */
  public static final Liveness DEFAULTS =
      new Liveness(Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofMinutes(30));

  public Liveness {
    if (leaseRenew.isNegative()
        || leaseRenew.isZero()
        || statusRefresh.isNegative()
        || statusRefresh.isZero()) {
      throw new IllegalArgumentException(
          "liveness intervals must be positive, got renew "
              + leaseRenew
              + ", refresh "
              + statusRefresh);
    }
    if (leaseDuration.compareTo(leaseRenew.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "the Lease duration ("
              + leaseDuration
              + ") must cover at least two renewals ("
              + leaseRenew
              + " each), or one late renewal loses the cluster");
    }
  }

  /** API writes one idle connected cluster costs per hour, by this schedule. */
  public double writesPerIdleHour() {
    return 3600.0 / leaseRenew.toSeconds() + 3600.0 / statusRefresh.toSeconds();
  }
}
