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

  /**
   * Continues numbering above {@code floor} (the hub's last durable number, told in the answer to
   * the hello) when it is above {@link #lastNumber()}: after lost state, new evidence would
   * otherwise carry numbers the hub already holds and be ignored. Pending items were never counted
   * under their old numbers; they are renumbered above the floor, in order. Durable when it
   * returns.
   *
   * @return whether the numbering moved
   */
  boolean continueAbove(long floor);

  /** Highest number ever assigned (0 when none). */
  long lastNumber();

  /** Number of items not yet acked. */
  int depth();

  @Override
  void close();
}
