package io.kapro.agent.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations written the Kubernetes way ({@code 30s}, {@code 1m30s}, {@code 500ms}). */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|h|m|s)");

  private Durations() {}

  /**
   * Parses {@code 1h2m3s500ms}-style text or ISO-8601 ({@code PT30S}).
   *
   * @throws IllegalArgumentException when the text is not a positive duration
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration");
    }
    String t = text.strip();
    if (t.startsWith("P") || t.startsWith("p")) {
      try {
        return positive(Duration.parse(t), text);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration");
      }
    }
    Matcher m = PART.matcher(t);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMillis(n);
              });
      end = m.end();
    }
    if (end == 0 || end != t.length()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; write it like 30s, 1m30s, 500ms or 2h");
    }
    return positive(total, text);
  }

  private static Duration positive(Duration d, String text) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("'" + text + "' must be longer than zero");
    }
    return d;
  }
}
