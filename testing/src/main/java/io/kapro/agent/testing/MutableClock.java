package io.kapro.agent.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock tests move by hand: either stopped at a start instant ({@link #MutableClock(Instant)},
 * {@link #now()}), or real time plus an offset ({@link #MutableClock()}: soak periods and expiries
 * without waiting, while timeouts still run). {@link #advance} moves it forward in both cases.
 */
public final class MutableClock extends Clock {
  private final Clock base;
  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  /** Stopped at {@code start}. */
  public MutableClock(Instant start) {
    this.base = Clock.fixed(start, ZoneOffset.UTC);
  }

  /** Real time (UTC) plus an offset that starts at zero. */
  public MutableClock() {
    this.base = Clock.systemUTC();
  }

  /** Stopped at the current instant. */
  public static MutableClock now() {
    return new MutableClock(Instant.now());
  }

  public void advance(Duration d) {
    offset.updateAndGet(o -> o.plus(d));
  }

  @Override
  public Instant instant() {
    return base.instant().plus(offset.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
