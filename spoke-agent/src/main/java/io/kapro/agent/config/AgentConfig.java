package io.kapro.agent.config;

import io.kapro.oci.verify.ClusterIdentity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The agent's validated configuration; build it with {@link AgentConfigLoader}.
 *
 * @param cluster the Cluster this agent speaks for
 * @param hub the hub's gateway
 * @param bundleSource registry or OCI layout
 * @param trustedKeys PEM public key files; a bundle verifies if any of them verifies it
 * @param pollInterval how often to poll the bundle source (default 30 s)
 * @param pollJitter fraction of the interval added or removed at random, in [0, 0.5] (default 0.1)
 * @param allowList objects and fields the hub may set
 * @param stateDir where the outbox, the high-water mark and credentials live
 * @param health health and metrics endpoint
 * @param bootstrapTokenFile the one-time enrollment token, if configured
 * @param evidenceSink disconnected mode: evidence written as signed artifacts, if enabled
 */
public record AgentConfig(
    ClusterIdentity cluster,
    HubConfig hub,
    BundleSource bundleSource,
    List<Path> trustedKeys,
    Duration pollInterval,
    double pollJitter,
    AllowList allowList,
    Path stateDir,
    HealthConfig health,
    Optional<Path> bootstrapTokenFile,
    Optional<EvidenceSinkConfig> evidenceSink) {

  /** Default poll interval. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);

  /** Default jitter fraction. */
  public static final double DEFAULT_POLL_JITTER = 0.1;

  public AgentConfig {
    trustedKeys = List.copyOf(trustedKeys);
  }

  /** The next poll delay: the interval, moved at random by up to {@code pollJitter} of it. */
  public Duration nextPollDelay(RandomGenerator random) {
    double factor = 1 + pollJitter * (2 * random.nextDouble() - 1);
    return Duration.ofMillis(Math.max(1, Math.round(pollInterval.toMillis() * factor)));
  }
}
