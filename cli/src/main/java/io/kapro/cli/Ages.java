package io.kapro.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** kubectl-style ages ({@code 45s}, {@code 12m}, {@code 3h}, {@code 2d}). */
public final class Ages {
  private Ages() {}

  /** Age of an RFC 3339 time at {@code now}; the input unchanged when it is not a timestamp. */
  public static String since(String rfc3339, Instant now) {
    if (rfc3339 == null || rfc3339.isEmpty()) {
      return null;
    }
    try {
      return format(Duration.between(Instant.parse(rfc3339), now));
    } catch (DateTimeParseException e) {
      return rfc3339;
    }
  }

  /** A duration the way kubectl prints ages. */
  public static String format(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 120 * 60) {
      return (s / 60) + "m";
    }
    if (s < 48 * 3600) {
      return (s / 3600) + "h";
    }
    return (s / 86400) + "d";
  }
}
