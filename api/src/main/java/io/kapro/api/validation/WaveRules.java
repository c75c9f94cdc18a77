package io.kapro.api.validation;

import io.kapro.api.v1alpha2.Patterns;
import java.util.List;

/**
 * Wave syntax: counts ({@code "1"}) first, then cumulative percentages ({@code "10%"}), each larger
 * than the one before, the last {@code "100%"}.
 */
final class WaveRules {
  /** As the CRD schema says ({@code maxItems}). */
  static final int MAX_WAVES = 20;

  private WaveRules() {}

  static void check(Problems p, String path, List<String> waves) {
    if (waves == null) {
      return;
    }
    if (waves.isEmpty()) {
      p.add(path, "is empty; leave it unset (one wave, 100%) or list waves ending with \"100%\"");
      return;
    }
    if (waves.size() > MAX_WAVES) {
      p.add(path, "lists " + waves.size() + " waves; at most " + MAX_WAVES + " are allowed");
      return;
    }
    int lastCount = 0;
    int lastPercent = 0;
    boolean sawPercent = false;
    boolean syntaxOk = true;
    for (int i = 0; i < waves.size(); i++) {
      String at = path + "[" + i + "]";
      String w = waves.get(i);
      if (w == null || w.length() > 7 || !w.matches(Patterns.WAVE)) {
        p.add(
            at,
            "\""
                + w
                + "\" is not a wave: write a cluster count (\"1\") or a percentage from 1% to 100% (\"10%\")");
        syntaxOk = false;
        continue;
      }
      if (w.endsWith("%")) {
        int pct = Integer.parseInt(w.substring(0, w.length() - 1));
        if (pct <= lastPercent) {
          p.add(
              at,
              "\""
                  + w
                  + "\" must be larger than the wave before it ("
                  + lastPercent
                  + "%); percentages are cumulative");
        }
        lastPercent = Math.max(lastPercent, pct);
        sawPercent = true;
      } else {
        int count = Integer.parseInt(w);
        if (sawPercent) {
          p.add(
              at,
              "\"" + w + "\" is a count after a percentage; list counts first, then percentages");
        } else if (count <= lastCount) {
          p.add(
              at,
              "\""
                  + w
                  + "\" must be larger than the wave before it ("
                  + lastCount
                  + "); counts are cumulative");
        }
        lastCount = Math.max(lastCount, count);
      }
    }
    String last = waves.get(waves.size() - 1);
    if (syntaxOk && !"100%".equals(last)) {
      p.add(
          path + "[" + (waves.size() - 1) + "]",
          "the last wave must be \"100%\" so that every cluster of the stage is reached; append \"100%\"");
    }
  }
}
