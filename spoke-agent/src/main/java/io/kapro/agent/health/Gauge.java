package io.kapro.agent.health;

import java.util.function.LongSupplier;

/** A gauge read at scrape time from its source (an atomic, a queue's depth). */
final class Gauge implements Meter {
  private final String name;
  private final String help;
  private final LongSupplier value;

  Gauge(String name, String help, LongSupplier value) {
    this.name = MetricsRegistry.checkName(name);
    this.help = help;
    this.value = value;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void writeTo(StringBuilder out) {
    Exposition.header(out, name, help, "gauge");
    Exposition.sample(out, name, "", (double) value.getAsLong());
  }
}
