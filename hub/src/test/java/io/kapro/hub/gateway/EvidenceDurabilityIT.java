package io.kapro.hub.gateway;

import static io.kapro.hub.gateway.GatewayFixture.A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.Hello;
import io.kapro.hub.gateway.GatewayFixture.Credentials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * 10,000 numbered evidence messages, with duplicates and reordering, over real mTLS streams cut at
 * random points from either side and reconnected.
 */
class EvidenceDurabilityIT {
  private static final int N = "large".equals(System.getProperty("kapro.scale")) ? 100_000 : 10_000;
  private final GatewayFixture hub = new GatewayFixture();

  @AfterEach
  void close() throws Exception {
    hub.close();
  }

  @Test
  void finalStateIsTheLastEvidenceAndNothingIsAppliedTwice() throws Exception {
    long seed = System.nanoTime();
    System.out.println("EvidenceDurabilityIT seed=" + seed);
    Random random = new Random(seed);
    hub.sink.writeDelayNanos(TimeUnit.MICROSECONDS.toNanos(200));
    Credentials creds = hub.credentialsFor(A);
    AtomicLong acked = new AtomicLong();
    AtomicInteger ackBeforeWrite = new AtomicInteger();
    int connections = 0;
    int sent = 0;

    while (acked.get() < N) {
      connections++;
      ManagedChannel channel = hub.channel(creds);
      TestStream stream =
          TestStream.open(
              channel,
              m -> {
                if (m.hasAck()) {
                  if (hub.sink.durableUpTo(A) < m.getAck().getUpTo()) {
                    ackBeforeWrite.incrementAndGet();
                  }
                  acked.accumulateAndGet(m.getAck().getUpTo(), Math::max);
                }
              });
      stream.send(
          AgentMessage.newBuilder()
              .setHello(Hello.newBuilder().setAgentVersion("0.1.0").setLastEvidenceNumber(N))
              .build());
      List<Long> plan = plan(acked.get() + 1, random);
      int cutAfter =
          connections > 8 && random.nextInt(4) == 0 ? Integer.MAX_VALUE : random.nextInt(1, 1_500);
      int i = 0;
      for (; i < plan.size() && i < cutAfter && stream.terminal.get() == null; i++) {
        stream.send(TestStream.evidence(plan.get(i), "rev-" + plan.get(i)));
        sent++;
      }
      if (i < plan.size()) {
        if (random.nextBoolean()) {
          channel.shutdownNow();
        } else {
          await().until(() -> hub.gateway.openStreams(A) > 0 || stream.terminal.get() != null);
          hub.gateway.disconnect(A, "test cut");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.terminal.get() != null);
      } else {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> acked.get() >= N || stream.terminal.get() != null);
        channel.shutdownNow();
      }
    }

    System.out.printf(
        "EvidenceDurabilityIT: %d evidence, %d messages sent (with duplicates), %d connections, %d"
            + " durable writes%n",
        N, sent, connections, hub.sink.writes());
    assertThat(hub.sink.state(A)).isEqualTo("rev-" + N);
    assertThat(hub.sink.durableUpTo(A)).isEqualTo(N);
    assertThat(hub.sink.duplicateApplications()).isZero();
    assertThat(hub.sink.applied()).doesNotHaveDuplicates().isSorted();
    assertThat(ackBeforeWrite.get()).as("acks that arrived before their write").isZero();
    assertThat(connections).isGreaterThanOrEqualTo(5);
  }

  /** The rest of the outbox from {@code from}, with duplicates and swapped neighbours. */
  private static List<Long> plan(long from, Random random) {
    List<Long> plan = new ArrayList<>();
    for (long n = from; n <= N; n++) {
      plan.add(n);
      if (random.nextInt(10) == 0) {
        plan.add(Math.max(1, n - random.nextInt(50)));
      }
    }
    for (int i = 0; i + 1 < plan.size(); i++) {
      if (random.nextInt(10) == 0) {
        Long t = plan.get(i);
        plan.set(i, plan.get(i + 1));
        plan.set(i + 1, t);
      }
    }
    return plan;
  }
}
