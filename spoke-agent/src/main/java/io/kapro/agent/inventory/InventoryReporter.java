package io.kapro.agent.inventory;

import com.google.protobuf.Timestamp;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.Inventory;
import io.kapro.oci.bundle.ObjectReference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the inventory every {@code interval} and hands it on when its digest changed (the hub link
 * also re-sends the latest on every connect). A failed listing is logged and retried on the next
 * tick; nothing is sent for it.
 */
public final class InventoryReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InventoryReporter.class);

  private final InventoryCollector collector;
  private final Supplier<Set<ObjectReference>> managed;
  private final Consumer<AgentMessage> send;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("kapro-inventory").unstarted(r));
  private String lastDigest;

  public InventoryReporter(
      InventoryCollector collector,
      Supplier<Set<ObjectReference>> managed,
      Consumer<AgentMessage> send,
      Clock clock) {
    this.collector = collector;
    this.managed = managed;
    this.send = send;
    this.clock = clock;
  }

  public void start(Duration interval) {
    timer.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One listing; sends it when it differs from the last one sent. */
  public synchronized void tick() {
    try {
      Inventory inv = collector.collect(managed.get());
      if (inv.getDigest().equals(lastDigest)) {
        return;
      }
      Instant now = clock.instant();
      send.accept(
          AgentMessage.newBuilder()
              .setInventory(
                  inv.toBuilder()
                      .setObservedAt(
                          Timestamp.newBuilder()
                              .setSeconds(now.getEpochSecond())
                              .setNanos(now.getNano())))
              .build());
      lastDigest = inv.getDigest();
      LOG.info(
          "inventory: {} object(s){}",
          inv.getObjectsCount(),
          inv.getTruncated() ? ", truncated" : "");
    } catch (RuntimeException e) {
      LOG.warn("inventory listing failed (retried next time): {}", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
