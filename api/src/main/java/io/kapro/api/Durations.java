package io.kapro.api;

import java.time.Duration;

/**
 * The one duration grammar of Kapro: Go's {@code time.ParseDuration}, the way Kubernetes writes
 * durations ({@code metav1.Duration}): {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 1.5h}, {@code
 * 500ms}, {@code 10us}, a leading sign, and a lone {@code 0}. Plans, Fleets, the hub's environment
 * ({@code KAPRO_RESYNC=1m30s}), the agent's configuration and the CLI's flags all read durations
 * here. The CRD schema ({@code Patterns.DURATION}) admits a subset: unsigned, with a unit.
 */
public final class Durations {
  /** Longer text is refused before it is read (no Kapro duration needs more). */
  static final int MAX_LENGTH = 64;

  /** {@code 1 << 63} as an unsigned value: the magnitude of the most negative duration. */
  private static final long LIMIT = Long.MIN_VALUE;

  private Durations() {}

  /**
   * Parses a Go duration, with Go's semantics (fractions, several parts, sign, overflow refused).
   *
   * @param text e.g. {@code 1h30m}; no spaces
   * @return the duration (may be zero or negative)
   * @throws KaproApiException with reason INVALID_DURATION when the text is not a duration
   */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
      throw invalid(text);
    }
    int i = 0;
    boolean negative = false;
    if (text.charAt(0) == '-' || text.charAt(0) == '+') {
      negative = text.charAt(0) == '-';
      i++;
    }
    if (text.substring(i).equals("0")) {
      return Duration.ZERO;
    }
    if (i == text.length()) {
      throw invalid(text);
    }
    long total = 0; // unsigned, at most LIMIT
    while (i < text.length()) {
      char c = text.charAt(i);
      if (!(c == '.' || isDigit(c))) {
        throw invalid(text);
      }
      // The integer part (unsigned, at most 1 << 63).
      int start = i;
      long whole = 0;
      while (i < text.length() && isDigit(text.charAt(i))) {
        if (Long.compareUnsigned(whole, Long.divideUnsigned(LIMIT, 10)) > 0) {
          throw invalid(text);
        }
        whole = whole * 10 + (text.charAt(i) - '0');
        if (Long.compareUnsigned(whole, LIMIT) > 0) {
          throw invalid(text);
        }
        i++;
      }
      boolean hadWhole = i > start;
      // The fraction: digits kept while they fit, the rest only scanned (as Go does).
      long fraction = 0;
      double scale = 1;
      boolean hadFraction = false;
      if (i < text.length() && text.charAt(i) == '.') {
        i++;
        int fractionStart = i;
        boolean overflow = false;
        while (i < text.length() && isDigit(text.charAt(i))) {
          if (!overflow) {
            long next = fraction * 10 + (text.charAt(i) - '0');
            if (fraction > Long.MAX_VALUE / 10 || next < 0) {
              overflow = true;
            } else {
              fraction = next;
              scale *= 10;
            }
          }
          i++;
        }
        hadFraction = i > fractionStart;
      }
      if (!hadWhole && !hadFraction) {
        throw invalid(text);
      }
      int unitStart = i;
      while (i < text.length() && text.charAt(i) != '.' && !isDigit(text.charAt(i))) {
        i++;
      }
      long unit = unitNanos(text.substring(unitStart, i), text);
      if (Long.compareUnsigned(whole, Long.divideUnsigned(LIMIT, unit)) > 0) {
        throw invalid(text);
      }
      long v = whole * unit;
      if (fraction > 0) {
        v += (long) ((double) fraction * ((double) unit / scale));
        if (Long.compareUnsigned(v, LIMIT) > 0) {
          throw invalid(text);
        }
      }
      if (Long.compareUnsigned(total, LIMIT - v) > 0) {
        throw invalid(text);
      }
      total += v;
    }
    if (negative) {
      return Duration.ofNanos(-total);
    }
    if (total == LIMIT) {
      throw invalid(text);
    }
    return Duration.ofNanos(total);
  }

  /**
   * Parses a duration that must be longer than zero (intervals, timeouts, lifetimes).
   *
   * @throws KaproApiException with reason INVALID_DURATION otherwise
   */
  public static Duration parsePositive(String text) {
    Duration d = parse(text);
    if (d.isZero() || d.isNegative()) {
      throw new KaproApiException(
          KaproApiException.Reason.INVALID_DURATION,
          "\"" + text + "\" must be longer than zero, e.g. 30s, 5m, 1h30m");
    }
    return d;
  }

  /** Whether {@link #parse(String)} accepts the text. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (KaproApiException e) {
      return false;
    }
  }

  /**
   * Formats a non-negative duration the way Go prints it, e.g. {@code 1h30m0s}; zero is {@code 0s}.
   */
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

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static long unitNanos(String unit, String text) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "\u00b5s", "\u03bcs" -> 1_000L; // micro sign U+00B5, Greek mu U+03BC
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> throw invalid(text);
    };
  }

  private static KaproApiException invalid(String text) {
    String shown = text == null ? "null" : text.length() > 40 ? text.substring(0, 40) + "…" : text;
    return new KaproApiException(
        KaproApiException.Reason.INVALID_DURATION,
        "\""
            + shown
            + "\" is not a duration; write a number and a unit (ns, us, ms, s, m, h), e.g. 30s, 5m,"
            + " 1h30m");
  }
}
