package io.kapro.agent.health;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * The largest value recorded recently, as Micrometer's timers report their {@code _max}: a ring of
 * {@code buckets} maxima, each started {@code window / buckets} after the one before; a value goes
 * into every bucket, the oldest bucket is the one read, and on each step the oldest is cleared and
 * becomes the newest. A value is thus reported for at least {@code window × (buckets − 1) /
 * buckets} and at most {@code window} (Micrometer's defaults: two minutes, three buckets, so 80 to
 * 120 s), then the max falls back to what came later, or 0.
 *
 * <p>Recording is lock-free; a step (at most once per {@code window / buckets}) takes a lock.
 */
final class WindowMax {
  private final LongSupplier nanoClock;
  private final long step;
  private final AtomicLongArray max;
  private volatile long nextStep;
  private volatile int oldest;

  WindowMax(LongSupplier nanoClock, long windowNanos, int buckets) {
    if (buckets < 1 || windowNanos < buckets) {
      throw new IllegalArgumentException("window " + windowNanos + " ns, " + buckets + " buckets");
    }
    this.nanoClock = nanoClock;
    this.step = windowNanos / buckets;
    this.max = new AtomicLongArray(buckets);
    this.nextStep = nanoClock.getAsLong() + step;
  }

  void record(long value) {
    int oldestNow = advance();
    for (int i = 0; i < max.length(); i++) {
      int b = (oldestNow + i) % max.length();
      long m = max.get(b);
      while (value > m && !max.compareAndSet(b, m, value)) {
        m = max.get(b);
      }
    }
  }

  long get() {
    return max.get(advance());
  }

  /** Clears the buckets whose time is up; returns the oldest bucket's index. */
  private int advance() {
    long now = nanoClock.getAsLong();
    if (now - nextStep < 0) {
      return oldest;
    }
    synchronized (this) {
      long behind = now - nextStep;
      if (behind < 0) {
        return oldest;
      }
      long steps = behind / step + 1;
      if (steps >= max.length()) {
        for (int i = 0; i < max.length(); i++) {
          max.set(i, 0);
        }
      } else {
        for (long s = 0; s < steps; s++) {
          max.set(oldest, 0);
          oldest = (oldest + 1) % max.length();
        }
      }
      nextStep += steps * step;
      return oldest;
    }
  }
}
