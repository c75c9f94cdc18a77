package io.kapro.agent.link;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: the n-th wait is uniform in {@code [0, min(cap, base *
 * 2^n)]}. The random source is injected so tests can pin it.
 */
public final class Backoff {
  /** First ceiling: 1 s. */
  public static final Duration BASE = Duration.ofSeconds(1);

  /** Largest ceiling: 60 s. */
  public static final Duration CAP = Duration.ofSeconds(60);

  private final long baseMillis;
  private final long capMillis;
  private final RandomGenerator random;
  private int attempt;

  public Backoff(Duration base, Duration cap, RandomGenerator random) {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < base <= cap, got " + base + ", " + cap);
    }
    this.baseMillis = base.toMillis();
    this.capMillis = cap.toMillis();
    this.random = random;
  }

  /** 1 s up to 60 s, with the JVM's default random generator. */
  public static Backoff standard() {
    return new Backoff(BASE, CAP, RandomGenerator.getDefault());
  }

  /** The ceiling of the next wait, without drawing it. */
  public synchronized Duration nextCeiling() {
    return Duration.ofMillis(ceiling(attempt));
  }

  /** The next wait; each call doubles the ceiling until the cap. */
  public synchronized Duration next() {
    long ceiling = ceiling(attempt);
    if (attempt < 62) {
      attempt++;
    }
    return Duration.ofMillis(random.nextLong(ceiling + 1));
  }

  /** After a successful session: start again from the base. */
  public synchronized void reset() {
    attempt = 0;
  }

  public synchronized int attempts() {
    return attempt;
  }

  private long ceiling(int n) {
    if (n >= 62 || baseMillis > (capMillis >> Math.min(n, 62))) {
      return capMillis;
    }
    return Math.min(capMillis, baseMillis << n);
  }
}
