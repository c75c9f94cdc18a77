package io.kapro.e2e.fault;

import java.time.Duration;

/**
 * What a {@link FaultProxy} does to traffic. Latency and bandwidth shape traffic that still flows;
 * the other modes stop it.
 */
public sealed interface Fault {

  /** Forward everything as it comes. */
  record PassThrough() implements Fault {}

  /** Hold every chunk for {@code delay} before forwarding it, in each direction. */
  record Latency(Duration delay) implements Fault {
    public Latency {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("latency must not be negative: " + delay);
      }
    }
  }

  /** Forward at most {@code bytesPerSecond} per connection and direction. */
  record Bandwidth(long bytesPerSecond) implements Fault {
    public Bandwidth {
      if (bytesPerSecond < 1) {
        throw new IllegalArgumentException("bandwidth must be ≥ 1 byte/s: " + bytesPerSecond);
      }
    }
  }

  /** Close new connections at once (an orderly close); existing ones keep working. */
  record Drop() implements Fault {}

  /**
   * Reset every open connection (RST: SO_LINGER 0), and reset new ones as soon as they are
   * accepted.
   */
  record Reset() implements Fault {}

  /**
   * A network partition: new connections are accepted and read but never forwarded or answered;
   * open connections stop forwarding (their bytes wait, as TCP would keep them). When the fault is
   * lifted, open connections flow again and the connections accepted during it are reset.
   */
  record Blackhole() implements Fault {}
}
