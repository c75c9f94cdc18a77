package io.kapro.hub.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.kapro.hub.ca.ClusterId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EvidenceCoalescerTest {
  private static final ClusterId C = new ClusterId("ns", "c");
  private final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  /** Records acks and closes, the way a stream would receive them. */
  static final class Target implements AckTarget {
    final List<Long> acks = new CopyOnWriteArrayList<>();
    final List<Status> closes = new CopyOnWriteArrayList<>();

    @Override
    public void ack(long upTo) {
      acks.add(upTo);
    }

    @Override
    public void close(Status status) {
      closes.add(status);
    }
  }

  /** A sink whose first write blocks until released. */
  static final class GatedSink implements EvidenceSink {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final List<EvidenceBatch> batches = new CopyOnWriteArrayList<>();
    volatile long durable;

    @Override
    public long appliedUpTo(ClusterId cluster) {
      return durable;
    }

    @Override
    public boolean write(ClusterId cluster, EvidenceBatch batch) {
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      batches.add(batch);
      durable = batch.upTo();
      return true;
    }
  }

  @Test
  void aBurstBecomesOneWriteAndAcksFollowTheWrite() throws Exception {
    GatedSink sink = new GatedSink();
    io.kapro.hub.metrics.HubMetrics metrics = new io.kapro.hub.metrics.HubMetrics();
    EvidenceCoalescer coalescer = new EvidenceCoalescer(sink, executor, metrics);
    Target stream = new Target();

    coalescer.submit(C, stream, TestStream.evidence(1, "r1"));
    assertThat(sink.entered.await(5, TimeUnit.SECONDS)).isTrue();
    for (int n = 2; n <= 100; n++) {
      coalescer.submit(C, stream, TestStream.evidence(n, "r" + n));
    }
    assertThat(stream.acks).as("nothing is acked before the write is durable").isEmpty();

    sink.release.countDown();
    await().until(() -> stream.acks.contains(100L));
    assertThat(sink.batches).hasSize(2);
    assertThat(sink.batches.get(1).items()).hasSize(99);
    assertThat(stream.acks).containsExactly(1L, 100L);
    String scrape = metrics.scrape();
    assertThat(scrape)
        .contains("kapro_evidence_total 100.0")
        .contains("kapro_status_writes_total 2.0")
        .contains("kapro_status_writes_coalesced_total 98.0");
  }

  @Test
  void aFloodIsRefusedOnceTheQueueIsFull() throws Exception {
    GatedSink sink = new GatedSink();
    EvidenceCoalescer coalescer =
        new EvidenceCoalescer(sink, executor, new io.kapro.hub.metrics.HubMetrics());
    Target stream = new Target();
    coalescer.submit(C, stream, TestStream.evidence(1, "r"));
    assertThat(sink.entered.await(5, TimeUnit.SECONDS)).isTrue();
    for (int n = 2; n <= EvidenceCoalescer.MAX_PENDING + 1; n++) {
      coalescer.submit(C, stream, TestStream.evidence(n, "r"));
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> coalescer.submit(C, stream, TestStream.evidence(999_999, "r")))
        .isInstanceOf(io.kapro.hub.link.LinkException.class)
        .hasMessageContaining("resend later");
    sink.release.countDown();
    await().until(() -> stream.acks.contains((long) EvidenceCoalescer.MAX_PENDING + 1));
  }

  @Test
  void queuedEvidenceOfOneClusterIsBoundedInBytesAndTheBudgetFreesOnceWritten() throws Exception {
    GatedSink sink = new GatedSink();
    EvidenceCoalescer coalescer =
        new EvidenceCoalescer(sink, executor, new io.kapro.hub.metrics.HubMetrics());
    Target stream = new Target();
    String big = "x".repeat(60 * 1024); // what a message under the 64 KiB limit can carry
    coalescer.submit(C, stream, TestStream.evidence(1, big));
    assertThat(sink.entered.await(5, TimeUnit.SECONDS)).isTrue(); // the first write hangs
    int accepted = 1;
    io.kapro.hub.link.LinkException refused = null;
    for (int n = 2; n <= 1_000 && refused == null; n++) {
      try {
        coalescer.submit(C, stream, TestStream.evidence(n, big));
        accepted++;
      } catch (io.kapro.hub.link.LinkException e) {
        refused = e;
      }
    }
    assertThat(refused).as("refused before 1000 messages of 60 KiB").isNotNull();
    assertThat(refused.reason()).isEqualTo(io.kapro.hub.link.LinkException.Reason.OVERLOADED);
    assertThat(refused.getMessage()).contains("budget of " + EvidenceCoalescer.MAX_PENDING_BYTES);
    assertThat((long) accepted * big.length())
        .isLessThanOrEqualTo(EvidenceCoalescer.MAX_PENDING_BYTES);
    // another cluster has its own budget
    coalescer.submit(new ClusterId("ns", "other"), new Target(), TestStream.evidence(1, big));

    sink.release.countDown();
    long last = accepted;
    await().until(() -> stream.acks.contains(last));
    coalescer.submit(C, stream, TestStream.evidence(last + 1, big));
    await().until(() -> stream.acks.contains(last + 1));
  }

  /**
   * Items up to the hello's {@code last_evidence_number} may also sit in another replica's queue
   * (sent there before the reconnect): until this replica's recorded number reaches it, every batch
   * records its numbers, so the other replica's late write is dropped by number; after that the
   * sink may ack unchanged evidence without a write.
   */
  @Test
  void numbersAreRecordedUntilTheyReachTheHelloThenOnlyVisibleChangesAreWritten() {
    GatedSink sink = new GatedSink();
    sink.release.countDown();
    sink.durable = 2;
    EvidenceCoalescer coalescer =
        new EvidenceCoalescer(sink, executor, new io.kapro.hub.metrics.HubMetrics());
    Target stream = new Target();
    coalescer.refresh(C, 4); // the agent had numbered up to 4 before this stream
    for (long n = 3; n <= 6; n++) {
      coalescer.submit(C, stream, TestStream.evidence(n, "r"));
      long number = n;
      await().until(() -> stream.acks.contains(number));
    }
    assertThat(sink.batches)
        .extracting(b -> b.upTo() + ":" + b.recordNumbers())
        .containsExactly("3:true", "4:true", "5:false", "6:false");

    // a new stream (a reconnect, perhaps from another replica) starts recording again
    coalescer.refresh(C, 8);
    sink.durable = 6;
    for (long n = 7; n <= 9; n++) {
      coalescer.submit(C, stream, TestStream.evidence(n, "r"));
      long number = n;
      await().until(() -> stream.acks.contains(number));
    }
    assertThat(sink.batches.subList(4, 7))
        .extracting(b -> b.upTo() + ":" + b.recordNumbers())
        .containsExactly("7:true", "8:true", "9:false");
  }

  @Test
  void duplicatesAndStaleItemsAreDroppedButAcked() {
    GatedSink sink = new GatedSink();
    sink.release.countDown();
    sink.durable = 10;
    EvidenceCoalescer coalescer =
        new EvidenceCoalescer(sink, executor, new io.kapro.hub.metrics.HubMetrics());
    Target stream = new Target();

    coalescer.submit(C, stream, TestStream.evidence(5, "old"));
    await().until(() -> stream.acks.contains(10L));
    assertThat(sink.batches).isEmpty();

    coalescer.submit(C, stream, TestStream.evidence(12, "new"));
    coalescer.submit(C, stream, TestStream.evidence(12, "new"));
    coalescer.submit(C, stream, TestStream.evidence(11, "older"));
    await().until(() -> stream.acks.contains(12L));
    assertThat(sink.batches.stream().flatMap(b -> b.items().stream()).map(EvidenceNumbers::number))
        .doesNotHaveDuplicates()
        .isSorted();
  }

  @Test
  void aFailedWriteAcksNothingAndClosesTheStream() {
    EvidenceSink failing =
        new EvidenceSink() {
          @Override
          public long appliedUpTo(ClusterId cluster) {
            return 0;
          }

          @Override
          public boolean write(ClusterId cluster, EvidenceBatch batch) {
            throw new IllegalStateException("409 conflict");
          }
        };
    EvidenceCoalescer coalescer =
        new EvidenceCoalescer(failing, executor, new io.kapro.hub.metrics.HubMetrics());
    Target stream = new Target();
    coalescer.submit(C, stream, TestStream.evidence(1, "r1"));
    await().until(() -> !stream.closes.isEmpty());
    assertThat(stream.acks).isEmpty();
    assertThat(stream.closes.get(0).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }
}
