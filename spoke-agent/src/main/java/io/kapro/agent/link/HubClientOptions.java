package io.kapro.agent.link;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link HubClient} behaves.
 *
 * @param agentVersion sent in hello, checked by the hub
 * @param capabilities sent in hello ("flux", "argocd", ...)
 * @param backoff reconnect waits (standard: 1 s to 60 s, full jitter)
 * @param initialHeartbeat heartbeat interval until the hub's settings arrive
 * @param clock for heartbeat timestamps
 */
public record HubClientOptions(
    String agentVersion,
    List<String> capabilities,
    Backoff backoff,
    Duration initialHeartbeat,
    Clock clock) {
  public HubClientOptions {
    Objects.requireNonNull(agentVersion, "agentVersion");
    capabilities = List.copyOf(capabilities);
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(clock, "clock");
    if (initialHeartbeat.isNegative() || initialHeartbeat.isZero()) {
      throw new IllegalArgumentException("initialHeartbeat must be positive");
    }
  }

  /** Standard backoff, 30 s heartbeats until told otherwise, system clock. */
  public static HubClientOptions defaults(String agentVersion, List<String> capabilities) {
    return new HubClientOptions(
        agentVersion, capabilities, Backoff.standard(), Duration.ofSeconds(30), Clock.systemUTC());
  }
}
