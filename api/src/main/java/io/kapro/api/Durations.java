package io.kapro.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and formats Go-style durations ({@code 90s}, {@code 5m}, {@code 1h30m}, {@code 1.5h}). */
public final class Durations {
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");

  private Durations() {}

  /**
   * Parses a Go duration.
   *
   * @param text e.g. {@code 1h30m}; no sign, no spaces
   * @return the duration
   * @throws KaproApiException with reason INVALID_DURATION when the text is not a duration
   */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw invalid(text);
    }
    Matcher m = PART.matcher(text);
    int end = 0;
    BigDecimal nanos = BigDecimal.ZERO;
    while (m.find()) {
      if (m.start() != end) {
        throw invalid(text);
      }
      end = m.end();
      nanos =
          nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
    }
    if (end != text.length()) {
      throw invalid(text);
    }
    return Duration.ofNanos(nanos.toBigInteger().longValueExact());
  }

  /** Whether {@link #parse(String)} accepts the text. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (KaproApiException | ArithmeticException e) {
      return false;
    }
  }

  /** Formats a duration the way Go prints it, e.g. {@code 1h30m0s}; zero is {@code 0s}. */
  public static String format(Duration d) {
    long s = d.getSeconds();
    if (s == 0 && d.getNano() == 0) {
      return "0s";
    }
    StringBuilder b = new StringBuilder();
    if (s >= 3600) {
      b.append(s / 3600).append('h');
    }
    if (s >= 60) {
      b.append(s % 3600 / 60).append('m');
    }
    b.append(s % 60);
    if (d.getNano() != 0) {
      b.append(String.format(".%09d", d.getNano()).replaceAll("0+$", ""));
    }
    return b.append('s').toString();
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      default -> 3_600_000_000_000L;
    };
  }

  private static KaproApiException invalid(String text) {
    return new KaproApiException(
        KaproApiException.Reason.INVALID_DURATION,
        "\""
            + text
            + "\" is not a duration; write a number and a unit (ns, us, ms, s, m, h), e.g. 30s, 5m, 1h30m");
  }
}
