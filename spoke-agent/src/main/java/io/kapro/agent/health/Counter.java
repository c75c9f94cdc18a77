package io.kapro.agent.health;

import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A counter family, {@code <name>_total}, without labels or with one label. Increments are
 * lock-free ({@link LongAdder}); a new label value takes a lock once. The children are kept sorted
 * by label value in an array the scrape walks without allocating. At most {@link #MAX_CHILDREN}
 * label values: the agent's label values are names from its own enums, so more means a bug, and the
 * family must not grow without bound; beyond it an increment is dropped and logged once.
 */
final class Counter implements Meter {
  static final int MAX_CHILDREN = 64;
  private static final Logger LOG = LoggerFactory.getLogger(Counter.class);

  private final String name;
  private final String help;
  private final String label;
  private final ConcurrentHashMap<String, Child> byValue = new ConcurrentHashMap<>();
  private volatile Child[] sorted = new Child[0];
  private volatile boolean overflowLogged;

  /** One series of the family. */
  static final class Child {
    private final String value;
    private final String labels;
    private final LongAdder count = new LongAdder();

    private Child(String value, String labels) {
      this.value = value;
      this.labels = labels;
    }

    void increment() {
      count.increment();
    }

    void increment(long by) {
      if (by < 0) {
        throw new IllegalArgumentException("a counter only goes up (got " + by + ")");
      }
      count.add(by);
    }

    long count() {
      return count.sum();
    }
  }

  /**
   * @param name the family name without {@code _total}
   * @param label the label's name, or null for a counter without labels (its one series exists from
   *     the start)
   */
  Counter(String name, String help, String label) {
    this.name = MetricsRegistry.checkName(name + "_total");
    this.help = help;
    this.label = label;
    if (label == null) {
      add("", "");
    } else {
      Exposition.labels(label, ""); // the label name is checked here, once
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** The series without labels. */
  Child child() {
    if (label != null) {
      throw new IllegalStateException(name + " has the label " + label + "; name its value");
    }
    return byValue.get("");
  }

  /** The series with this label value (created on first use); null past {@link #MAX_CHILDREN}. */
  Child child(String value) {
    if (label == null) {
      throw new IllegalStateException(name + " has no labels");
    }
    Child c = byValue.get(value);
    return c != null ? c : add(value, Exposition.labels(label, value));
  }

  /** Adds {@code by} to the series with this label value. */
  void increment(String value, long by) {
    Child c = child(value);
    if (c != null) {
      c.increment(by);
    }
  }

  private synchronized Child add(String value, String labels) {
    Child c = byValue.get(value);
    if (c != null) {
      return c;
    }
    if (byValue.size() >= MAX_CHILDREN) {
      if (!overflowLogged) {
        overflowLogged = true;
        LOG.warn(
            "metric {} already has {} values of label {}; not counting {} (a bug: the values"
                + " should come from a fixed set)",
            name,
            MAX_CHILDREN,
            label,
            value);
      }
      return null;
    }
    c = new Child(value, labels);
    byValue.put(value, c);
    Child[] next = Arrays.copyOf(sorted, sorted.length + 1);
    next[next.length - 1] = c;
    Arrays.sort(next, Comparator.comparing((Child x) -> x.value));
    sorted = next;
    return c;
  }

  @Override
  public void writeTo(StringBuilder out) {
    Child[] children = sorted;
    if (children.length == 0) {
      return;
    }
    Exposition.header(out, name, help, "counter");
    for (Child c : children) {
      Exposition.sample(out, name, c.labels, (double) c.count());
    }
  }
}
