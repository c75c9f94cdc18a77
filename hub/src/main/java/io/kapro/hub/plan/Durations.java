package io.kapro.hub.plan;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Kubernetes-style durations such as {@code 90s}, {@code 10m}, {@code 1h30m}, {@code 500ms}.
 */
public final class Durations {
  private static final String PART_TEXT = "(\\d{1,9}(?:\\.\\d{1,9})?)(ns|us|µs|ms|s|m|h)";
  private static final Pattern FULL = Pattern.compile("(?:" + PART_TEXT + ")+");
  private static final Pattern PART = Pattern.compile(PART_TEXT);
  private static final java.math.BigDecimal MAX_NANOS =
      java.math.BigDecimal.valueOf(Duration.ofDays(3650).toNanos());

  private Durations() {}

  /**
   * The duration (Go syntax: {@code 90s}, {@code 1h30m}, {@code 1.5h}, {@code 500ms}), or an {@link
   * IllegalArgumentException} whose message says what is accepted. Bounded to 10 years.
   */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 40 || !FULL.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "\""
              + shorten(text)
              + "\" is not a duration; use a number with a unit, e.g. 90s, 10m, 1h30m");
    }
    java.math.BigDecimal nanos = java.math.BigDecimal.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      long unit =
          switch (m.group(2)) {
            case "h" -> 3_600_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "s" -> 1_000_000_000L;
            case "ms" -> 1_000_000L;
            case "us", "µs" -> 1_000L;
            default -> 1L;
          };
      nanos =
          nanos.add(
              new java.math.BigDecimal(m.group(1)).multiply(java.math.BigDecimal.valueOf(unit)));
    }
    if (nanos.compareTo(MAX_NANOS) > 0) {
      throw new IllegalArgumentException("\"" + text + "\" is longer than 10 years");
    }
    return Duration.ofNanos(nanos.longValue());
  }

  static String shorten(String text) {
    if (text == null) {
      return "null";
    }
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }
}
