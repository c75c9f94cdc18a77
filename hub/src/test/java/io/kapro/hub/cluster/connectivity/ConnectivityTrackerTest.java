package io.kapro.hub.cluster.connectivity;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.agent.testing.MutableClock;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.cluster.connectivity.Connectivity.ConnectedStatus;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConnectivityTrackerTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ConnectivityTracker tracker = new ConnectivityTracker(clock);
  private final ClusterId c = new ClusterId("ns", "c");

  @Test
  void unknownAfterThreeMissedHeartbeatsAndTrueOnTheNextSignOfLife() {
    tracker.hello(
        c,
        Duration.ofSeconds(30),
        "0.1.0",
        BigInteger.TEN,
        clock.instant().plus(Duration.ofDays(30)));
    clock.advance(Duration.ofSeconds(89));
    assertThat(tracker.sweep()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(tracker.sweep()).containsExactly(c);
    assertThat(tracker.sweep()).as("reported once").isEmpty();
    Connectivity unknown = tracker.connectivity(c).orElseThrow();
    assertThat(unknown.status()).isEqualTo(ConnectedStatus.UNKNOWN);
    assertThat(unknown.status().conditionValue()).isEqualTo("Unknown");
    assertThat(unknown.since()).isEqualTo(clock.instant());

    clock.advance(Duration.ofSeconds(5));
    tracker.seen(c);
    assertThat(tracker.connectivity(c).orElseThrow().status()).isEqualTo(ConnectedStatus.TRUE);
    assertThat(
            ConnectivityPolicy.alive(
                clock.instant(), Duration.ofSeconds(30), clock.instant().plusSeconds(89)))
        .isTrue();
  }

  @Test
  void unseenClustersAreAbsent() {
    tracker.seen(c);
    assertThat(tracker.connectivity(c)).isEmpty();
    assertThat(tracker.all()).isEmpty();
  }
}
