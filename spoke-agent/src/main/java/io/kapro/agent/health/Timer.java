package io.kapro.agent.health;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A timer exposed as Micrometer's Prometheus registry exposes one without percentiles or a
 * histogram (what the agent's timers were): a summary {@code <name>_seconds} with {@code
 * _seconds_count} and {@code _seconds_sum}, and a gauge {@code <name>_seconds_max}, the longest
 * time recorded in the last two minutes ({@link WindowMax}). No quantiles and no buckets: none were
 * configured.
 */
final class Timer implements Meter {
  /** Micrometer's {@code distributionStatisticExpiry} and {@code bufferLength} defaults. */
  static final Duration MAX_WINDOW = Duration.ofMinutes(2);

  static final int MAX_BUCKETS = 3;
  private static final double NANOS_PER_SECOND = 1e9;

  private final String name;
  private final String countName;
  private final String sumName;
  private final String maxName;
  private final String help;
  private final LongAdder count = new LongAdder();
  private final LongAdder totalNanos = new LongAdder();
  private final WindowMax max;

  /**
   * @param name the base name, without {@code _seconds}
   */
  Timer(String name, String help, LongSupplier nanoClock) {
    this.name = MetricsRegistry.checkName(name + "_seconds");
    this.countName = this.name + "_count";
    this.sumName = this.name + "_sum";
    this.maxName = this.name + "_max";
    this.help = help;
    this.max = new WindowMax(nanoClock, MAX_WINDOW.toNanos(), MAX_BUCKETS);
  }

  @Override
  public String name() {
    return name;
  }

  void record(Duration d) {
    long nanos = d.toNanos();
    if (nanos < 0) {
      return; // a clock stepped back; Micrometer ignores negative times as well
    }
    count.increment();
    totalNanos.add(nanos);
    max.record(nanos);
  }

  long count() {
    return count.sum();
  }

  @Override
  public void writeTo(StringBuilder out) {
    Exposition.header(out, name, help, "summary");
    Exposition.sample(out, countName, "", count.sum());
    Exposition.sample(out, sumName, "", totalNanos.sum() / NANOS_PER_SECOND);
    Exposition.header(out, maxName, help, "gauge");
    Exposition.sample(out, maxName, "", max.get() / NANOS_PER_SECOND);
  }
}
