package io.kapro.hub.gateway;

import io.kapro.agent.v1.AgentMessage;
import java.util.List;

/**
 * New evidence for one cluster, to be written in one status write: items (bodies {@code evidence}
 * or {@code rejection}) in strictly increasing number order, all above the number the sink last
 * made durable. Evidence is a snapshot, so a later number supersedes an earlier one about the same
 * bundle.
 */
public record EvidenceBatch(List<AgentMessage> items) {
  public EvidenceBatch {
    items = List.copyOf(items);
    if (items.isEmpty()) {
      throw new IllegalArgumentException("an evidence batch is never empty");
    }
  }

  /** The highest number in the batch; the sink records it with the state. */
  public long upTo() {
    return EvidenceNumbers.number(items.get(items.size() - 1));
  }
}
