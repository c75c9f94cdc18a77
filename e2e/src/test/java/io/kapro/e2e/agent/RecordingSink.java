package io.kapro.e2e.agent;

import io.kapro.agent.v1.AgentMessage;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.gateway.EvidenceBatch;
import io.kapro.hub.gateway.EvidenceSink;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test double of the hub's status writer: durable number per cluster, every item by number as first
 * written, idempotent like the real one. {@link #hold()} makes the next write block until {@link
 * #release()}, so an agent can be killed between writing evidence and receiving its ack.
 */
final class RecordingSink implements EvidenceSink {
  private final Map<ClusterId, Long> durable = new ConcurrentHashMap<>();
  final ConcurrentSkipListMap<Long, AgentMessage> items = new ConcurrentSkipListMap<>();
  final AtomicInteger heldWrites = new AtomicInteger();
  private volatile CountDownLatch gate;

  void hold() {
    gate = new CountDownLatch(1);
  }

  void release() {
    CountDownLatch g = gate;
    gate = null;
    if (g != null) {
      g.countDown();
    }
  }

  @Override
  public long appliedUpTo(ClusterId cluster) {
    return durable.getOrDefault(cluster, 0L);
  }

  @Override
  public boolean write(ClusterId cluster, EvidenceBatch batch) {
    CountDownLatch g = gate;
    if (g != null) {
      heldWrites.incrementAndGet();
      try {
        if (!g.await(5, TimeUnit.MINUTES)) {
          throw new IllegalStateException("held write never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    synchronized (this) {
      long last = durable.getOrDefault(cluster, 0L);
      for (AgentMessage m : batch.items()) {
        long n = m.hasEvidence() ? m.getEvidence().getNumber() : m.getRejection().getNumber();
        if (n > last) {
          items.putIfAbsent(n, m);
          last = n;
        }
      }
      durable.put(cluster, last);
    }
    return true;
  }

  /** Evidence items, in number order. */
  /** Rejections stored, in number order. */
  synchronized List<AgentMessage> rejections() {
    return items.values().stream().filter(AgentMessage::hasRejection).toList();
  }

  List<AgentMessage> evidence() {
    return items.values().stream().filter(AgentMessage::hasEvidence).toList();
  }
}
