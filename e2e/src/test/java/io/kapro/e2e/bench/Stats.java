package io.kapro.e2e.bench;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Percentiles of latencies given in nanoseconds, reported in milliseconds. */
record Stats(int count, double p50, double p95, double p99, double max) {

  static Stats ofNanos(Collection<Long> nanos) {
    long[] v = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    if (v.length == 0) {
      return new Stats(0, 0, 0, 0, 0);
    }
    return new Stats(
        v.length, ms(at(v, 0.50)), ms(at(v, 0.95)), ms(at(v, 0.99)), ms(v[v.length - 1]));
  }

  private static long at(long[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  static double ms(long nanos) {
    return round(nanos / 1e6);
  }

  static double round(double d) {
    return Math.round(d * 10) / 10.0;
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", count);
    m.put("p50Ms", p50);
    m.put("p95Ms", p95);
    m.put("p99Ms", p99);
    m.put("maxMs", max);
    return m;
  }

  @Override
  public String toString() {
    return Arrays.toString(new double[] {p50, p95, p99, max});
  }
}
