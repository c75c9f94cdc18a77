package io.kapro.e2e.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Evidence ingestion, closed loop: every agent keeps one evidence message in flight (sends the next
 * when the previous is acked) for {@code duration}; throughput is acked messages per second, the
 * latency is from send to the ack covering it.
 */
final class Ingestion {
  private Ingestion() {}

  static Map<String, Object> measure(List<SimAgent> agents, Duration duration)
      throws InterruptedException {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong acked = new AtomicLong();
    agents.forEach(SimAgent::resetAcks);
    long t0 = System.nanoTime();
    for (SimAgent a : agents) {
      loop(a, running, acked);
    }
    TimeUnit.NANOSECONDS.sleep(duration.toNanos()); // the measurement window itself
    running.set(false);
    long elapsed = System.nanoTime() - t0;
    long count = acked.get();
    List<Long> lat = new ArrayList<>();
    for (SimAgent a : agents) {
      lat.addAll(a.ackLatencies);
      a.resetAcks();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("agents", agents.size());
    out.put("seconds", Stats.round(elapsed / 1e9));
    out.put("acked", count);
    out.put("perSecond", Stats.round(count / (elapsed / 1e9)));
    out.put("ackLatency", Stats.ofNanos(lat).toMap());
    return out;
  }

  private static void loop(SimAgent a, AtomicBoolean running, AtomicLong acked) {
    long[] last = new long[1];
    synchronized (last) {
      last[0] =
          a.sendEvidence(
              upTo -> {
                synchronized (last) {
                  if (upTo < last[0]) {
                    return;
                  }
                  acked.incrementAndGet();
                  if (running.get()) {
                    last[0] = a.sendEvidence(null);
                  }
                }
              });
    }
  }
}
