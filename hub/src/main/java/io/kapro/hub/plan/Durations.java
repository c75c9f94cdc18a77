package io.kapro.hub.plan;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Kubernetes-style durations such as {@code 90s}, {@code 10m}, {@code 1h30m}, {@code 500ms}.
 */
public final class Durations {
  private static final Pattern FULL = Pattern.compile("(?:\\d{1,9}(?:ms|h|m|s))+");
  private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|h|m|s)");

  private Durations() {}

  /**
   * The duration, or an {@link IllegalArgumentException} whose message says what is accepted.
   * Bounded to 10 years so that sums cannot overflow.
   */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 40 || !FULL.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "\""
              + shorten(text)
              + "\" is not a duration; use a number with a unit, e.g. 90s, 10m, 1h30m");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMillis(n);
              });
    }
    if (total.compareTo(Duration.ofDays(3650)) > 0) {
      throw new IllegalArgumentException("\"" + text + "\" is longer than 10 years");
    }
    return total;
  }

  static String shorten(String text) {
    if (text == null) {
      return "null";
    }
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }
}
