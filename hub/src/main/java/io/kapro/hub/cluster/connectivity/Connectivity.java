package io.kapro.hub.cluster.connectivity;

import java.math.BigInteger;
import java.time.Instant;

/**
 * What the hub knows about one cluster's link, as the Cluster reconciler writes it: the {@code
 * Connected} condition and the fields next to it in Cluster status.
 *
 * @param status {@code True} after a hello, {@code Unknown} after three missed heartbeats
 * @param reason CamelCase reason for the condition
 * @param since when {@code status} last changed
 * @param lastSeen last hello, heartbeat or evidence
 * @param agentVersion version announced in the last hello
 * @param certificateSerial serial of the certificate of the last stream
 * @param certificateNotAfter its expiry
 */
public record Connectivity(
    ConnectedStatus status,
    String reason,
    Instant since,
    Instant lastSeen,
    String agentVersion,
    BigInteger certificateSerial,
    Instant certificateNotAfter) {

  /** The condition's status value. */
  public enum ConnectedStatus {
    TRUE("True"),
    UNKNOWN("Unknown");

    private final String conditionValue;

    ConnectedStatus(String conditionValue) {
      this.conditionValue = conditionValue;
    }

    /** {@code True} or {@code Unknown}, as written into the condition. */
    public String conditionValue() {
      return conditionValue;
    }
  }

  Connectivity with(ConnectedStatus newStatus, String newReason, Instant at) {
    return new Connectivity(
        newStatus, newReason, at, lastSeen, agentVersion, certificateSerial, certificateNotAfter);
  }
}
