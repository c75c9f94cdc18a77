package io.kapro.hub.plan;

import java.time.Duration;

/** Plan durations: {@link io.kapro.api.Durations} (the one grammar), bounded to 10 years. */
public final class Durations {
  private static final Duration MAX = Duration.ofDays(3650);

  private Durations() {}

  /**
   * The duration ({@link io.kapro.api.Durations#parse}: Go syntax, {@code 90s}, {@code 1h30m},
   * {@code 1.5h}, {@code 500ms}), or an {@link IllegalArgumentException} whose message says what is
   * accepted. Not negative; bounded to 10 years.
   */
  public static Duration parse(String text) {
    Duration d;
    try {
      d = io.kapro.api.Durations.parse(text);
    } catch (io.kapro.api.KaproApiException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException("\"" + shorten(text) + "\" must not be negative");
    }
    if (d.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("\"" + text + "\" is longer than 10 years");
    }
    return d;
  }

  static String shorten(String text) {
    if (text == null) {
      return "null";
    }
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }
}
