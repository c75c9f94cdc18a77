package io.kapro.agent.health;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The agent's own small metrics registry (issue 22: instead of Micrometer and the Prometheus
 * client, about 180 classes for a dozen series). Families are registered while the agent is built
 * and are fixed after; {@link #scrape()} writes them in name order in the Prometheus text format
 * 0.0.4 ({@link Exposition}). Recording never locks (adders and atomics); a scrape reads the values
 * without locks and allocates only the text.
 */
final class MetricsRegistry {
  private final LongSupplier nanoClock;
  private final List<Meter> meters = new ArrayList<>();
  private volatile Meter[] sorted = new Meter[0];

  MetricsRegistry(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  Counter counter(String name, String help) {
    return register(new Counter(name, help, null));
  }

  Counter counter(String name, String help, String label) {
    return register(new Counter(name, help, label));
  }

  Gauge gauge(String name, String help, LongSupplier value) {
    return register(new Gauge(name, help, value));
  }

  Timer timer(String name, String help) {
    return register(new Timer(name, help, nanoClock));
  }

  private synchronized <M extends Meter> M register(M meter) {
    for (Meter m : meters) {
      if (m.name().equals(meter.name())) {
        throw new IllegalArgumentException("metric " + meter.name() + " is registered twice");
      }
    }
    meters.add(meter);
    Meter[] next = meters.toArray(new Meter[0]);
    java.util.Arrays.sort(next, Comparator.comparing(Meter::name));
    sorted = next;
    return meter;
  }

  /** The exposition, text format 0.0.4. */
  String scrape() {
    StringBuilder out = new StringBuilder(4096);
    for (Meter m : sorted) {
      m.writeTo(out);
    }
    return out.toString();
  }

  static String checkName(String name) {
    if (!Exposition.validMetricName(name)) {
      throw new IllegalArgumentException(
          "metric name " + name + " is not a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
    }
    return name;
  }
}
