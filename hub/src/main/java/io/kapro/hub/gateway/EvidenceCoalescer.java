package io.kapro.hub.gateway;

import io.grpc.Status;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.link.LinkException;
import io.kapro.hub.metrics.HubMetrics;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the evidence of one cluster into as few durable writes as possible: while a write is in
 * flight new items queue up, and the next write takes them all. Items at or below the durable
 * number are dropped (idempotency); acks are sent only after the write returned.
 */
final class EvidenceCoalescer {
  private static final Logger LOG = LoggerFactory.getLogger(EvidenceCoalescer.class);

  private record Item(AckTarget from, AgentMessage message) {}

  private static final class Queue {
    final List<Item> pending = new ArrayList<>();

    /** Serialized bytes of the pending items and of the batch being written. */
    long queuedBytes;

    boolean draining;
    boolean reload = true;

    /** Highest number acked on this replica since the last reload (written or already said). */
    long applied;

    /** Highest number known to be recorded in the API (a lower bound). */
    long recorded;

    /**
     * Highest {@code last_evidence_number} of a hello on this replica: items up to it may also sit
     * in another replica's queue (sent there before the reconnect), so until the recorded number
     * reaches it every batch records its numbers, and a late write of the other replica meets them
     * and is dropped.
     */
    long fenceAt;
  }

  /** Most items queued for one cluster before its streams are refused (a flood, not a burst). */
  static final int MAX_PENDING = 50_000;

  /**
   * Most bytes (serialized) of one cluster's evidence queued and not yet durable on this replica;
   * past it the sending stream is refused with RESOURCE_EXHAUSTED and the agent resends from its
   * outbox after the queue has been written (issue 18: a byte budget per authenticated agent).
   */
  static final long MAX_PENDING_BYTES = 4L * 1024 * 1024;

  private final EvidenceSink sink;
  private final Executor executor;
  private final HubMetrics metrics;
  private final Map<ClusterId, Queue> queues = new ConcurrentHashMap<>();

  EvidenceCoalescer(EvidenceSink sink, Executor executor, HubMetrics metrics) {
    this.sink = sink;
    this.executor = executor;
    this.metrics = metrics;
  }

  void submit(ClusterId cluster, AckTarget from, AgentMessage message) {
    Queue q = queues.computeIfAbsent(cluster, k -> new Queue());
    synchronized (q) {
      if (q.pending.size() >= MAX_PENDING) {
        throw new LinkException(
            LinkException.Reason.OVERLOADED,
            MAX_PENDING
                + " evidence items of "
                + cluster
                + " are waiting to be written; resend later");
      }
      long size = message.getSerializedSize();
      if (q.queuedBytes + size > MAX_PENDING_BYTES) {
        throw new LinkException(
            LinkException.Reason.OVERLOADED,
            "evidence of "
                + cluster
                + " waiting to be written would exceed its budget of "
                + MAX_PENDING_BYTES
                + " bytes ("
                + q.queuedBytes
                + " queued, "
                + size
                + " more); resend after the next ack");
      }
      q.queuedBytes += size;
      q.pending.add(new Item(from, message));
      if (!q.draining) {
        q.draining = true;
        executor.execute(() -> drain(cluster, q));
      }
    }
  }

  /**
   * Re-reads the durable number before the next write (a new stream may follow a failover), and
   * records numbers until they reach {@code helloLastNumber}, the highest the agent had assigned
   * before this stream.
   */
  void refresh(ClusterId cluster, long helloLastNumber) {
    Queue q = queues.computeIfAbsent(cluster, k -> new Queue());
    synchronized (q) {
      q.reload = true;
      q.fenceAt = Math.max(q.fenceAt, helloLastNumber);
    }
  }

  private void drain(ClusterId cluster, Queue q) {
    while (true) {
      List<Item> batch;
      boolean reload;
      synchronized (q) {
        if (q.pending.isEmpty()) {
          q.draining = false;
          return;
        }
        batch = new ArrayList<>(q.pending);
        q.pending.clear();
        reload = q.reload;
        q.reload = false;
      }
      try {
        write(cluster, q, batch, reload);
      } finally {
        long written = batch.stream().mapToLong(i -> i.message().getSerializedSize()).sum();
        synchronized (q) {
          q.queuedBytes -= written; // durable, or refused and left to the agents to resend
        }
      }
    }
  }

  private void write(ClusterId cluster, Queue q, List<Item> batch, boolean reload) {
    Set<AckTarget> senders = new LinkedHashSet<>();
    batch.forEach(i -> senders.add(i.from()));
    try {
      long fenceAt;
      synchronized (q) {
        fenceAt = q.fenceAt;
      }
      if (reload) {
        q.applied = sink.appliedUpTo(cluster);
        q.recorded = q.applied;
      }
      TreeMap<Long, AgentMessage> fresh = new TreeMap<>();
      for (Item i : batch) {
        long n = EvidenceNumbers.number(i.message());
        if (n > q.applied) {
          fresh.putIfAbsent(n, i.message());
        }
      }
      metrics.recordEvidence(batch.size());
      if (!fresh.isEmpty()) {
        boolean record = q.recorded < fenceAt;
        boolean wrote =
            sink.write(cluster, new EvidenceBatch(new ArrayList<>(fresh.values()), record));
        q.applied = fresh.lastKey();
        if (record) {
          q.recorded = q.applied;
        }
        if (wrote) {
          metrics.recordStatusWrites(1);
          metrics.recordCoalescedStatusWrites(fresh.size() - 1);
        } else {
          metrics.recordElidedEvidence(fresh.size());
        }
      }
      LOG.debug(
          "{}: {} received, {} written, durable up to {}",
          cluster,
          batch.size(),
          fresh.size(),
          q.applied);
      for (AckTarget s : senders) {
        s.ack(q.applied);
      }
    } catch (RuntimeException e) {
      LOG.warn("{}: evidence write failed, agents will resend: {}", cluster, e.toString());
      synchronized (q) {
        q.reload = true;
      }
      for (AckTarget s : senders) {
        s.close(Status.UNAVAILABLE.withDescription("evidence could not be stored; resend"));
      }
    }
  }
}
