package io.kapro.hub.gateway;

import io.kapro.agent.v1.AgentMessage;
import java.util.List;

/**
 * New evidence for one cluster, to be written in one status write: items (bodies {@code evidence}
 * or {@code rejection}) in strictly increasing number order, all above the number the sink last
 * made durable. Evidence is a snapshot, so a later number supersedes an earlier one about the same
 * bundle.
 *
 * @param recordNumbers whether the batch's numbers must be written even when its content changes
 *     nothing visible: true for a batch that may hold items another replica also holds (resent
 *     after a reconnect, up to the hello's {@code last_evidence_number}), so that a late write of
 *     the other replica meets a higher number and is dropped; false when only this replica can hold
 *     them, and then a batch that changes nothing visible is acked without a write (the hub's
 *     record already says what it says; docs/design/api-budget.md)
 */
public record EvidenceBatch(List<AgentMessage> items, boolean recordNumbers) {
  public EvidenceBatch {
    items = List.copyOf(items);
    if (items.isEmpty()) {
      throw new IllegalArgumentException("an evidence batch is never empty");
    }
  }

  /** A batch whose numbers are always recorded (evidence import, tests). */
  public EvidenceBatch(List<AgentMessage> items) {
    this(items, true);
  }

  /** The highest number in the batch; the sink records it with the state. */
  public long upTo() {
    return EvidenceNumbers.number(items.get(items.size() - 1));
  }
}
