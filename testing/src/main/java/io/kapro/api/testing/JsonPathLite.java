package io.kapro.api.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSONPath subset CRD printer columns use: {@code .a.b}, {@code ['a']}, {@code [0]}, {@code
 * [*]} and filters {@code [?(@.type=="Ready")]} (with {@code ==} or {@code !=} on a string).
 * Kubernetes prints the first result; {@link #first} does the same.
 */
public final class JsonPathLite {
  private static final Pattern FILTER =
      Pattern.compile("^\\?\\(@((?:\\.[A-Za-z0-9_-]+)+)\\s*(==|!=)\\s*[\"'](.*)[\"']\\)$");

  private JsonPathLite() {}

  /** Every node the path selects (missing fields select nothing). */
  public static List<JsonNode> evaluate(JsonNode root, String path) {
    String p = path.trim();
    if (p.startsWith("{") && p.endsWith("}")) {
      p = p.substring(1, p.length() - 1);
    }
    if (p.startsWith("$")) {
      p = p.substring(1);
    }
    List<JsonNode> current = new ArrayList<>(List.of(root));
    int i = 0;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
          end++;
        }
        current = field(current, p.substring(i + 1, end));
        i = end;
      } else if (c == '[') {
        int end = closing(p, i);
        current = bracket(current, p.substring(i + 1, end), path);
        i = end + 1;
      } else {
        throw new IllegalArgumentException("unsupported JSONPath " + path + " at " + i);
      }
    }
    return current;
  }

  /** The first selected node, or null. */
  public static JsonNode first(JsonNode root, String path) {
    List<JsonNode> all = evaluate(root, path);
    return all.isEmpty() ? null : all.get(0);
  }

  private static int closing(String p, int open) {
    boolean quoted = false;
    for (int i = open + 1; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '"' || c == '\'') {
        quoted = !quoted;
      } else if (c == ']' && !quoted) {
        return i;
      }
    }
    throw new IllegalArgumentException("unclosed [ in " + p);
  }

  private static List<JsonNode> field(List<JsonNode> nodes, String name) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : nodes) {
      if (name.isEmpty()) {
        out.add(n);
      } else if (n.isObject() && n.has(name) && !n.get(name).isNull()) {
        out.add(n.get(name));
      }
    }
    return out;
  }

  private static List<JsonNode> bracket(List<JsonNode> nodes, String expr, String path) {
    String e = expr.trim();
    if (e.startsWith("'") || e.startsWith("\"")) {
      return field(nodes, e.substring(1, e.length() - 1));
    }
    List<JsonNode> out = new ArrayList<>();
    Matcher filter = FILTER.matcher(e);
    for (JsonNode n : nodes) {
      if (!n.isArray() && !(e.equals("*") && n.isObject())) {
        continue;
      }
      if (e.equals("*")) {
        n.forEach(out::add);
      } else if (filter.matches()) {
        for (JsonNode item : n) {
          JsonNode v = first(item, filter.group(1));
          boolean eq = v != null && v.isValueNode() && v.asText().equals(filter.group(3));
          if (eq == filter.group(2).equals("==")) {
            out.add(item);
          }
        }
      } else if (e.matches("-?[0-9]+")) {
        int idx = Integer.parseInt(e);
        int at = idx < 0 ? n.size() + idx : idx;
        if (at >= 0 && at < n.size()) {
          out.add(n.get(at));
        }
      } else {
        throw new IllegalArgumentException(
            "unsupported JSONPath element [" + expr + "] in " + path);
      }
    }
    return out;
  }
}
