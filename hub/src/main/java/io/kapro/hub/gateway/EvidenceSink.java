package io.kapro.hub.gateway;

import io.kapro.hub.ca.ClusterId;

/**
 * Where evidence becomes durable. The hub implements it on Target and Cluster status; the gateway
 * acks an agent only after {@link #write} returned.
 *
 * <p>Idempotency: the sink stores the highest applied number ({@code Cluster.status
 * .lastEvidenceNumber}) in the same write as the state, and ignores items at or below it (another
 * replica may have written them first).
 */
public interface EvidenceSink {

  /** Highest evidence number durably applied for {@code cluster}; 0 when none. */
  long appliedUpTo(ClusterId cluster);

  /**
   * Applies the batch in one durable write (items in number order) and returns when it is durable.
   * Throws to refuse; the gateway then acks nothing and closes the agent's stream with {@code
   * UNAVAILABLE} so it resends. A batch that need not record its numbers ({@link
   * EvidenceBatch#recordNumbers()} false) and changes nothing visible may be acked without a write:
   * what it says is durable already.
   *
   * @return whether anything was written
   */
  boolean write(ClusterId cluster, EvidenceBatch batch);
}
