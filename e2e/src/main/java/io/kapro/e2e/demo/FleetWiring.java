package io.kapro.e2e.demo;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * How the parts of a {@link DemoFleet} reach each other, for fault scenarios: the registry address
 * the Fleet gives the hub's publisher (a fault proxy in front of the registry), the gateway address
 * the agents dial (a fault proxy in front of the hub), the hub's clock (skew) and the Fleet's
 * bundle lifetime. {@link #direct()} is the demo's own wiring.
 *
 * @param hubRegistry maps the registry's {@code host:port} to what the Fleet says
 * @param agentHub maps the gateway's port to the {@code host:port} the agents dial
 * @param hubClock the hub's clock
 * @param bundleTtl the Fleet's {@code bundleTTL}, when not the example's
 * @param hubReplicas how many hub replicas run; more than one splits the work into as many shards,
 *     owned through Leases of {@code shardLease}
 * @param shardLease the shard Leases' duration when {@code hubReplicas > 1}
 * @param evidenceImport how often the hub imports evidence artifacts of air-gapped clusters from
 *     the Fleet's registry (what {@code kapro mirror push --content evidence} carried there); empty
 *     when off, as in the hub's default
 */
public record FleetWiring(
    UnaryOperator<String> hubRegistry,
    IntFunction<String> agentHub,
    Clock hubClock,
    Optional<Duration> bundleTtl,
    int hubReplicas,
    Duration shardLease,
    Optional<Duration> evidenceImport) {
  public FleetWiring(
      UnaryOperator<String> hubRegistry,
      IntFunction<String> agentHub,
      Clock hubClock,
      Optional<Duration> bundleTtl) {
    this(hubRegistry, agentHub, hubClock, bundleTtl, 1, Duration.ofSeconds(15), Optional.empty());
  }

  public FleetWiring {
    if (hubReplicas < 1) {
      throw new IllegalArgumentException("hubReplicas: " + hubReplicas + " must be at least 1");
    }
    Objects.requireNonNull(shardLease, "shardLease");
    Objects.requireNonNull(hubRegistry, "hubRegistry");
    Objects.requireNonNull(agentHub, "agentHub");
    Objects.requireNonNull(hubClock, "hubClock");
    Objects.requireNonNull(bundleTtl, "bundleTtl");
    Objects.requireNonNull(evidenceImport, "evidenceImport");
  }

  /** Everyone talks to everyone directly; the hub runs on the system clock. */
  public static FleetWiring direct() {
    return new FleetWiring(
        host -> host, port -> "127.0.0.1:" + port, Clock.systemUTC(), Optional.empty());
  }

  public FleetWiring withHubRegistry(UnaryOperator<String> map) {
    return new FleetWiring(
        map, agentHub, hubClock, bundleTtl, hubReplicas, shardLease, evidenceImport);
  }

  public FleetWiring withAgentHub(IntFunction<String> map) {
    return new FleetWiring(
        hubRegistry, map, hubClock, bundleTtl, hubReplicas, shardLease, evidenceImport);
  }

  public FleetWiring withHubClock(Clock clock) {
    return new FleetWiring(
        hubRegistry, agentHub, clock, bundleTtl, hubReplicas, shardLease, evidenceImport);
  }

  public FleetWiring withBundleTtl(Duration ttl) {
    return new FleetWiring(
        hubRegistry, agentHub, hubClock, Optional.of(ttl), hubReplicas, shardLease, evidenceImport);
  }

  /** {@code replicas} hub replicas sharing the work in as many Lease-owned shards. */
  public FleetWiring withHubReplicas(int replicas, Duration lease) {
    return new FleetWiring(
        hubRegistry, agentHub, hubClock, bundleTtl, replicas, lease, evidenceImport);
  }

  /** The hub imports air-gapped clusters' evidence artifacts every {@code interval}. */
  public FleetWiring withEvidenceImport(Duration interval) {
    return new FleetWiring(
        hubRegistry, agentHub, hubClock, bundleTtl, hubReplicas, shardLease, Optional.of(interval));
  }
}
