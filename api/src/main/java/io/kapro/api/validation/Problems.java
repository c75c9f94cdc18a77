package io.kapro.api.validation;

import io.kapro.api.Durations;
import io.kapro.api.v1alpha2.Patterns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects violations; small shared checks. */
final class Problems {
  private static final Pattern DNS_LABEL = Pattern.compile(Patterns.DNS_LABEL);
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

  /** Longest duration a spec may name (a larger number would overflow the nanosecond count). */
  static final Duration MAX_DURATION = Duration.ofDays(3650);

  private final List<Violation> list = new ArrayList<>();

  void add(String path, String message) {
    list.add(new Violation(path, message));
  }

  List<Violation> list() {
    return List.copyOf(list);
  }

  /** Reports a missing value; returns true when present. */
  boolean required(String path, Object value, String what) {
    if (value == null || (value instanceof String s && s.isBlank())) {
      add(path, "is required: set " + what);
      return false;
    }
    return true;
  }

  void dnsLabel(String path, String value) {
    if (value != null && (value.length() > 63 || !DNS_LABEL.matcher(value).matches())) {
      add(
          path,
          "\""
              + value
              + "\" is not a DNS label: use at most 63 lower-case letters, digits and '-',"
              + " starting and ending with a letter or digit");
    }
  }

  void objectName(String path, String value) {
    if (value != null && (value.length() > 253 || !DNS_SUBDOMAIN.matcher(value).matches())) {
      add(
          path,
          "\""
              + value
              + "\" is not a valid object name: use lower-case letters, digits, '-' and '.'"
              + " (at most 253)");
    }
  }

  /** Checks a duration; returns it, or null when absent or invalid (reported). */
  Duration duration(String path, String value) {
    if (value == null) {
      return null;
    }
    if (value.length() > 40 || !Durations.isValid(value)) {
      add(
          path,
          "\""
              + value
              + "\" is not a duration: write a number and a unit (ns, us, ms, s, m, h),"
              + " e.g. 30s, 5m, 1h30m");
      return null;
    }
    Duration d = Durations.parse(value);
    if (d.isNegative()) {
      add(path, "\"" + value + "\" must not be negative, e.g. 0s or 5m");
      return null;
    }
    if (d.compareTo(MAX_DURATION) > 0) {
      add(path, "\"" + value + "\" is longer than 10 years; write a shorter duration");
      return null;
    }
    return d;
  }

  /** Checks a positive duration; returns it, or null when absent or invalid (reported). */
  Duration positiveDuration(String path, String value) {
    Duration d = duration(path, value);
    if (d != null && (d.isZero() || d.isNegative())) {
      add(path, "must be longer than zero, e.g. 5m");
      return null;
    }
    return d;
  }

  /** Reports a field that the chosen type does not read. */
  void unused(String path, Object value, String why) {
    if (value != null) {
      add(path, "is not used " + why + "; remove it");
    }
  }
}
