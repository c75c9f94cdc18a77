package io.kapro.agent.evidence;

import io.kapro.agent.v1.AgentMessage;
import java.util.List;

/**
 * The agent's durable evidence queue. Evidence and bundle rejections are written here before they
 * are sent and removed only when the hub acks them, so nothing is lost across restarts and
 * partitions (at-least-once; the hub is idempotent by number).
 *
 * <p>Only {@link AgentMessage} bodies {@code evidence} and {@code rejection} are stored.
 */
public interface Outbox extends AutoCloseable {

  /**
   * Assigns the next number (strictly increasing across restarts), writes the item durably
   * (fsync'd) and returns it as stored, number set.
   */
  AgentMessage append(AgentMessage unnumbered);

  /** Items not yet acked, in number order. */
  List<AgentMessage> pending();

  /** Drops every item numbered up to and including {@code upTo}; durable before it returns. */
  void ack(long upTo);

  /** Highest number ever assigned (0 when none). */
  long lastNumber();

  /** Number of items not yet acked. */
  int depth();

  @Override
  void close();
}
