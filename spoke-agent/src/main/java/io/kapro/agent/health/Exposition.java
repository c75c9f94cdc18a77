package io.kapro.agent.health;

/**
 * The Prometheus text exposition format, version 0.0.4 (prometheus/docs {@code
 * content/docs/instrumenting/exposition_formats.md}): one {@code # HELP} and one {@code # TYPE}
 * line per family, then its samples, {@code \n} line endings, UTF-8. Values are written as
 * Micrometer's Prometheus registry wrote them before (Java's shortest double text: {@code 1.0},
 * {@code 1.765E9}; {@code +Inf}, {@code -Inf}, {@code NaN}), so the series read the same.
 */
final class Exposition {
  /** The {@code Content-Type} of the text format 0.0.4. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private Exposition() {}

  /** Appends {@code # HELP name help} and {@code # TYPE name type}. */
  static void header(StringBuilder out, String name, String help, String type) {
    out.append("# HELP ").append(name).append(' ');
    escape(out, help, false);
    out.append("\n# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /** Appends {@code name labels value\n}; {@code labels} is {@code ""} or {@code {k="v"}}. */
  static void sample(StringBuilder out, String name, String labels, double value) {
    out.append(name).append(labels).append(' ');
    if (value == Double.POSITIVE_INFINITY) {
      out.append("+Inf");
    } else if (value == Double.NEGATIVE_INFINITY) {
      out.append("-Inf");
    } else {
      out.append(value); // Java's text: NaN, 1.0, 1.765E9 (Go's ParseFloat reads them all)
    }
    out.append('\n');
  }

  /** Appends {@code name labels value\n} for an integer value ({@code _count} of a summary). */
  static void sample(StringBuilder out, String name, String labels, long value) {
    out.append(name).append(labels).append(' ').append(value).append('\n');
  }

  /** {@code {name="value"}} with the value escaped: {@code \\}, {@code \"} and {@code \n}. */
  static String labels(String name, String value) {
    if (!validLabelName(name)) {
      throw new IllegalArgumentException(
          "label name " + name + " is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)");
    }
    StringBuilder b = new StringBuilder(name.length() + value.length() + 8);
    b.append('{').append(name).append("=\"");
    escape(b, value, true);
    return b.append("\"}").toString();
  }

  /**
   * Whether {@code name} is a metric name of the text format ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}).
   */
  static boolean validMetricName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          c == '_'
              || c == ':'
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Label names: {@code [a-zA-Z_][a-zA-Z0-9_]*}, and {@code __} is reserved for Prometheus. */
  private static boolean validLabelName(String name) {
    return validMetricName(name) && name.indexOf(':') < 0 && !name.startsWith("__");
  }

  /**
   * Label values escape backslash, double quote and line feed; HELP text escapes backslash and line
   * feed only (a quote stays as it is there).
   */
  private static void escape(StringBuilder out, String s, boolean quote) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '"' -> out.append(quote ? "\\\"" : "\"");
        default -> out.append(c);
      }
    }
  }
}
