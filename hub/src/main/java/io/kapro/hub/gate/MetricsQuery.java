package io.kapro.hub.gate;

import io.kapro.api.v1alpha2.MetricsGate;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a metrics gate's query template: {@code {{ cluster }}}, {@code {{ stage }}}, {@code {{ run
 * }}}, {@code {{ unit }}} and {@code {{ version }}} (spaces inside the braces optional, as in
 * Flagger's metric templates). Values are escaped for a PromQL string literal (backslash and both
 * quotes), since they usually stand inside a label matcher such as {@code cluster="{{ cluster }}"}.
 */
public final class MetricsQuery {
  private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([^}\\s]*)\\s*}}");

  private MetricsQuery() {}

  /** Whether the template names {@code {{ unit }}} or {@code {{ version }}}. */
  public static boolean perUnit(String template) {
    Matcher m = VARIABLE.matcher(template);
    while (m.find()) {
      if (m.group(1).equals("unit") || m.group(1).equals("version")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The query with every variable replaced.
   *
   * @throws IllegalArgumentException naming a variable that is unknown or has no value
   */
  public static String render(String template, Map<String, String> values) {
    Matcher m = VARIABLE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = values.get(name);
      if (!MetricsGate.VARIABLES.contains(name) || value == null) {
        throw new IllegalArgumentException(
            "query uses {{ " + name + " }}, which has no value here");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(escape(value)));
    }
    m.appendTail(out);
    return out.toString();
  }

  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("'", "\\'");
  }
}
