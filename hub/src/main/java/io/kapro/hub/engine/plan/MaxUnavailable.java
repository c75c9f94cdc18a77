package io.kapro.hub.engine.plan;

import java.util.regex.Pattern;

/** How many Degraded/Failed Targets a stage tolerates: a count, or a percentage rounded down. */
public record MaxUnavailable(int value, boolean percent) {
  private static final Pattern COUNT = Pattern.compile("\\d{1,7}");
  private static final Pattern PERCENT = Pattern.compile("(\\d{1,2}|100)%");

  public static MaxUnavailable parse(String text) {
    if (text == null) {
      return new MaxUnavailable(0, false);
    }
    if (COUNT.matcher(text).matches()) {
      return new MaxUnavailable(Integer.parseInt(text), false);
    }
    if (PERCENT.matcher(text).matches()) {
      return new MaxUnavailable(Integer.parseInt(text.substring(0, text.length() - 1)), true);
    }
    throw new IllegalArgumentException(
        "\""
            + shorten(text)
            + "\" is neither a count ≥ 0 (\"2\") nor a percentage 0%..100% (\"10%\")");
  }

  /** The tolerated number of unavailable Targets in a stage of {@code n} clusters. */
  public int allowed(int n) {
    return percent ? (int) Math.floor(value * (double) n / 100.0) : value;
  }

  @Override
  public String toString() {
    return percent ? value + "%" : Integer.toString(value);
  }

  private static String shorten(String text) {
    return text != null && text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }
}
