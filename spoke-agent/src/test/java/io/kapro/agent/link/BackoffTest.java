package io.kapro.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

  /** A random source that records the bounds asked for and answers with the largest value. */
  static final class Highest implements RandomGenerator {
    final List<Long> bounds = new ArrayList<>();

    @Override
    public long nextLong() {
      throw new UnsupportedOperationException();
    }

    @Override
    public long nextLong(long bound) {
      bounds.add(bound);
      return bound - 1;
    }
  }

  @Test
  void ceilingsDoubleFromOneSecondUpToSixtySeconds() {
    Highest random = new Highest();
    Backoff backoff = new Backoff(Backoff.BASE, Backoff.CAP, random);
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      waits.add(backoff.next());
    }
    assertThat(waits)
        .extracting(Duration::toSeconds)
        .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L, 60L);
    assertThat(random.bounds).allMatch(b -> b <= 60_001);
  }

  @Test
  void fullJitterDrawsFromZeroToTheCeiling() {
    Backoff backoff = new Backoff(Backoff.BASE, Backoff.CAP, new SplittableRandom(42));
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 2_000; i++) {
      backoff.reset();
      for (int k = 0; k < 7; k++) {
        backoff.next();
      }
      long w = backoff.next().toMillis(); // ceiling 60 s
      min = Math.min(min, w);
      max = Math.max(max, w);
    }
    assertThat(min).isLessThan(1_000);
    assertThat(max).isGreaterThan(59_000).isLessThanOrEqualTo(60_000);
  }

  @Test
  void resetStartsAgainFromTheBase() {
    Backoff backoff = new Backoff(Backoff.BASE, Backoff.CAP, new Highest());
    for (int i = 0; i < 100; i++) {
      backoff.next();
    }
    assertThat(backoff.nextCeiling()).isEqualTo(Duration.ofSeconds(60));
    backoff.reset();
    assertThat(backoff.nextCeiling()).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.attempts()).isZero();
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new Highest()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Highest()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
