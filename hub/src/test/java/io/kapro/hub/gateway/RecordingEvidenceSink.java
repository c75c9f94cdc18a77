package io.kapro.hub.gateway;

import io.kapro.agent.v1.AgentMessage;
import io.kapro.hub.ca.ClusterId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test double of the status writer: keeps per cluster the durable number, the last state and every
 * applied number, and counts anything that would change state twice.
 */
final class RecordingEvidenceSink implements EvidenceSink {
  private final Map<ClusterId, Long> durable = new HashMap<>();
  private final Map<ClusterId, String> state = new HashMap<>();
  private final List<Long> applied = new ArrayList<>();
  private int writes;
  private int duplicateApplications;
  private volatile long writeDelayNanos;
  private volatile RuntimeException failNext;

  void writeDelayNanos(long nanos) {
    this.writeDelayNanos = nanos;
  }

  void failNextWrite(RuntimeException e) {
    this.failNext = e;
  }

  @Override
  public synchronized long appliedUpTo(ClusterId cluster) {
    return durable.getOrDefault(cluster, 0L);
  }

  @Override
  public boolean write(ClusterId cluster, EvidenceBatch batch) {
    RuntimeException fail = failNext;
    if (fail != null) {
      failNext = null;
      throw fail;
    }
    if (writeDelayNanos > 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(writeDelayNanos); // a slow status write
    }
    synchronized (this) {
      long last = durable.getOrDefault(cluster, 0L);
      for (AgentMessage m : batch.items()) {
        long n = EvidenceNumbers.number(m);
        if (n <= last) {
          duplicateApplications++;
          continue;
        }
        last = n;
        applied.add(n);
        state.put(
            cluster,
            m.hasEvidence()
                ? m.getEvidence().getUnits(0).getObservedRevision()
                : "rejected:" + m.getRejection().getReason());
      }
      durable.put(cluster, last);
      writes++;
    }
    return true;
  }

  synchronized long durableUpTo(ClusterId cluster) {
    return durable.getOrDefault(cluster, 0L);
  }

  synchronized int writes() {
    return writes;
  }

  synchronized int duplicateApplications() {
    return duplicateApplications;
  }

  synchronized List<Long> applied() {
    return List.copyOf(applied);
  }

  synchronized String state(ClusterId cluster) {
    return state.get(cluster);
  }
}
