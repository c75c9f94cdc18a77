package io.kapro.hub.gateway;

import io.kapro.hub.ca.ClusterId;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the gateway needs to know about one Cluster object.
 *
 * @param id the cluster
 * @param revokedSerials {@code status.revokedSerials}: certificates refused for this cluster
 * @param settings heartbeat and poll intervals (from its Fleet)
 * @param published latest published bundle ({@code status.sequence.published}, {@code
 *     status.publishedDigest}), empty if none
 * @param acknowledgedSequence {@code status.sequence.acknowledged}, 0 if none: the agent's floor,
 *     sent in the answer to its hello
 * @param lastEvidenceNumber {@code status.lastEvidenceNumber}, 0 if none: sent in the answer to the
 *     hello so an agent with lost state numbers its evidence above it
 * @param currentSerial {@code status.certificate.serial}: the one certificate the cluster may use
 *     (set by enrollment and renewal); empty on a Cluster that records none (any certificate of the
 *     hub CA that is not revoked is accepted until its first enrollment or renewal)
 */
public record ClusterEntry(
    ClusterId id,
    Set<BigInteger> revokedSerials,
    LinkSettings settings,
    Optional<LatestBundle> published,
    long acknowledgedSequence,
    long lastEvidenceNumber,
    Optional<BigInteger> currentSerial) {

  /** An entry without acknowledged state (a cluster that never reported). */
  public ClusterEntry(
      ClusterId id,
      Set<BigInteger> revokedSerials,
      LinkSettings settings,
      Optional<LatestBundle> published) {
    this(id, revokedSerials, settings, published, 0, 0, Optional.empty());
  }

  /** An entry that records no current certificate. */
  public ClusterEntry(
      ClusterId id,
      Set<BigInteger> revokedSerials,
      LinkSettings settings,
      Optional<LatestBundle> published,
      long acknowledgedSequence,
      long lastEvidenceNumber) {
    this(
        id,
        revokedSerials,
        settings,
        published,
        acknowledgedSequence,
        lastEvidenceNumber,
        Optional.empty());
  }

  public ClusterEntry {
    Objects.requireNonNull(id, "id");
    revokedSerials = Set.copyOf(revokedSerials);
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(published, "published");
    Objects.requireNonNull(currentSerial, "currentSerial");
  }

  /** This entry with {@code serial} as its current certificate. */
  public ClusterEntry withCurrentSerial(BigInteger serial) {
    return new ClusterEntry(
        id,
        revokedSerials,
        settings,
        published,
        acknowledgedSequence,
        lastEvidenceNumber,
        Optional.of(serial));
  }
}
