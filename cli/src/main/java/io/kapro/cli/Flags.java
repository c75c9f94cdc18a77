package io.kapro.cli;

import io.kapro.api.Durations;
import io.kapro.api.KaproApiException;
import java.time.Duration;

/** Checks of flag values, with errors that name the flag and the fix. */
public final class Flags {
  private Flags() {}

  /** A positive Go duration ({@code 30s}, {@code 5m}, {@code 1h30m}). */
  public static Duration duration(String flag, String value) {
    try {
      return Durations.parsePositive(value);
    } catch (KaproApiException e) {
      throw CliException.usage(
          flag + " '" + value + "' is not a duration",
          "write a number and a unit, e.g. " + flag + " 30s, 5m or 1h30m");
    }
  }

  /** An object name (DNS subdomain). */
  public static String name(String flag, String value) {
    if (value == null
        || value.length() > 253
        || !value.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")) {
      throw CliException.usage(
          flag + " '" + value + "' is not a valid name",
          "use lower-case letters, digits, '-' and '.', e.g. prod-eu-1");
    }
    return value;
  }
}
