package io.kapro.hub;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this replica leads: the reconcilers' lease decides it, and the leader-only side jobs (the
 * bundle re-issuer, outbound event delivery) ask it before each round. Without leader election the
 * single replica always leads.
 */
final class Leadership implements BooleanSupplier {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  private final AtomicBoolean leading;
  private final Optional<LeaderElectionConfiguration> config;

  private Leadership(boolean elected, String lease, String namespace, String identity) {
    this.leading = new AtomicBoolean(!elected);
    this.config =
        elected
            ? Optional.of(
                new LeaderElectionConfiguration(
                    lease,
                    namespace,
                    LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                    LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                    LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                    identity,
                    new LeaderCallbacks(
                        () -> changed(true), () -> changed(false), who -> newLeader(who)),
                    true))
            : Optional.empty();
  }

  /** Always leading. */
  static Leadership single() {
    return new Leadership(false, null, null, null);
  }

  /**
   * Elected through the Lease {@code lease} in {@code namespace}; identity from HOSTNAME (the pod).
   */
  static Leadership elected(String lease, String namespace) {
    return new Leadership(true, lease, namespace, identity());
  }

  /** This replica's name among the others: HOSTNAME (the pod), else a random one. */
  static String identity() {
    String identity = System.getenv("HOSTNAME");
    if (identity == null || identity.isBlank()) {
      identity = "kapro-hub-" + UUID.randomUUID();
    }
    return identity;
  }

  /**
   * A name unique to this hub instance: the pod name and a random suffix (a restarted container
   * keeps its pod name but is a new member; two hubs in one test JVM share HOSTNAME).
   */
  static String instanceIdentity() {
    return identity() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** What the operator runs its leader election with; empty when there is none. */
  Optional<LeaderElectionConfiguration> configuration() {
    return config;
  }

  @Override
  public boolean getAsBoolean() {
    return leading.get();
  }

  private void changed(boolean now) {
    leading.set(now);
    LOG.info(now ? "this replica leads now" : "this replica stopped leading");
  }

  private static void newLeader(String who) {
    LOG.info("leader is {}", who);
  }
}
