package io.kapro.hub.engine.plan;

import java.util.regex.Pattern;

/**
 * One entry of a stage's {@code waves}: a cluster count ({@code "5"}) or a percentage ({@code
 * "10%"}), cumulative.
 */
public record WaveStep(int value, boolean percent) {
  private static final Pattern COUNT = Pattern.compile("[1-9]\\d{0,6}");
  private static final Pattern PERCENT = Pattern.compile("([1-9]\\d?|100)%");

  /** Parses one entry, or throws {@link IllegalArgumentException} saying what is accepted. */
  public static WaveStep parse(String text) {
    if (text != null && COUNT.matcher(text).matches()) {
      return new WaveStep(Integer.parseInt(text), false);
    }
    if (text != null && PERCENT.matcher(text).matches()) {
      return new WaveStep(Integer.parseInt(text.substring(0, text.length() - 1)), true);
    }
    throw new IllegalArgumentException(
        "\""
            + shorten(text)
            + "\" is not a wave; use a cluster count ≥ 1 (\"5\") or a percentage 1%..100% (\"10%\")");
  }

  /** How many clusters of {@code n} this step covers in total (percentages round up). */
  int cumulative(int n) {
    return percent ? (int) Math.ceil(value * (double) n / 100.0) : value;
  }

  @Override
  public String toString() {
    return percent ? value + "%" : Integer.toString(value);
  }

  private static String shorten(String text) {
    return text != null && text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }
}
