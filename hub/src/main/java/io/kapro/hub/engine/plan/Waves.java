package io.kapro.hub.engine.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns wave steps into cumulative cluster counts for a stage of {@code n} clusters. Every wave
 * adds at least one cluster; waves past the last cluster disappear; when the steps stop short of
 * every cluster, one more wave takes the rest.
 */
public final class Waves {
  private Waves() {}

  /** Cumulative sizes: element {@code i} is how many clusters waves 1..i+1 cover together. */
  public static List<Integer> cumulative(List<WaveStep> steps, int n) {
    List<Integer> out = new ArrayList<>();
    int previous = 0;
    for (WaveStep step : steps) {
      if (previous >= n) {
        break;
      }
      int c = Math.min(n, Math.max(step.cumulative(n), previous + 1));
      out.add(c);
      previous = c;
    }
    if (previous < n) {
      out.add(n);
    }
    return List.copyOf(out);
  }
}
