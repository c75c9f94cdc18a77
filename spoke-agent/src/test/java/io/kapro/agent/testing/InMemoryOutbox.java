package io.kapro.agent.testing;

import io.kapro.agent.evidence.Outbox;
import io.kapro.agent.v1.AgentMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Test double of the agent's {@link Outbox} (the real one lives on disk). */
public final class InMemoryOutbox implements Outbox {
  private final TreeMap<Long, AgentMessage> items = new TreeMap<>();
  private final List<Long> acks = new ArrayList<>();
  private long last;

  @Override
  public synchronized AgentMessage append(AgentMessage unnumbered) {
    long n = ++last;
    AgentMessage stored =
        switch (unnumbered.getBodyCase()) {
          case EVIDENCE ->
              unnumbered.toBuilder()
                  .setEvidence(unnumbered.getEvidence().toBuilder().setNumber(n))
                  .build();
          case REJECTION ->
              unnumbered.toBuilder()
                  .setRejection(unnumbered.getRejection().toBuilder().setNumber(n))
                  .build();
          default -> throw new IllegalArgumentException("only evidence and rejections");
        };
    items.put(n, stored);
    return stored;
  }

  @Override
  public synchronized List<AgentMessage> pending() {
    return List.copyOf(items.values());
  }

  @Override
  public synchronized void ack(long upTo) {
    acks.add(upTo);
    items.headMap(upTo, true).clear();
  }

  @Override
  public synchronized boolean continueAbove(long floor) {
    if (floor <= last) {
      return false;
    }
    List<AgentMessage> old = List.copyOf(items.values());
    items.clear();
    last = floor;
    for (AgentMessage m : old) {
      append(m);
    }
    return true;
  }

  @Override
  public synchronized long lastNumber() {
    return last;
  }

  @Override
  public synchronized int depth() {
    return items.size();
  }

  public synchronized List<Long> acks() {
    return List.copyOf(acks);
  }

  @Override
  public void close() {}
}
