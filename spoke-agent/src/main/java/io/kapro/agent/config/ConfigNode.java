package io.kapro.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A position in the YAML tree that records problems instead of throwing, so all are reported. */
final class ConfigNode {
  private final String path;
  private final JsonNode json;
  private final List<ConfigProblem> problems;

  ConfigNode(String path, JsonNode json, List<ConfigProblem> problems) {
    this.path = path;
    this.json = json == null ? MissingNode.getInstance() : json;
    this.problems = problems;
  }

  String path() {
    return path;
  }

  ConfigNode child(String key) {
    JsonNode value = json.isObject() ? json.get(key) : null;
    return new ConfigNode(path.isEmpty() ? key : path + "." + key, value, problems);
  }

  boolean present() {
    return !json.isMissingNode() && !json.isNull();
  }

  void problem(String problem, String fix) {
    problems.add(new ConfigProblem(path.isEmpty() ? "(file)" : path, problem, fix));
  }

  /** True when present and a mapping; records a problem when required and absent or wrong. */
  boolean object(boolean required, String fix) {
    if (!present()) {
      if (required) {
        problem("is required", fix);
      }
      return false;
    }
    if (!json.isObject()) {
      problem("must be a mapping, not " + describe(json), fix);
      return false;
    }
    return true;
  }

  /** Records a problem for every key not in {@code allowed}. */
  void onlyKeys(String... allowed) {
    Set<String> ok = Set.of(allowed);
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!ok.contains(key)) {
        child(key)
            .problem(
                "unknown key '" + key + "'",
                "remove it or use one of " + new TreeSet<>(Arrays.asList(allowed)));
      }
    }
  }

  Optional<String> text(boolean required, String fix) {
    if (!present()) {
      if (required) {
        problem("is required", fix);
      }
      return Optional.empty();
    }
    if (!json.isTextual()) {
      problem("must be a string, not " + describe(json), fix);
      return Optional.empty();
    }
    String value = json.textValue();
    if (value.isBlank()) {
      problem("must not be empty", fix);
      return Optional.empty();
    }
    if (value.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
      problem("holds a control character", fix);
      return Optional.empty();
    }
    return Optional.of(value.strip());
  }

  Optional<Boolean> bool(String fix) {
    if (!present()) {
      return Optional.empty();
    }
    if (!json.isBoolean()) {
      problem("must be true or false, not " + describe(json), fix);
      return Optional.empty();
    }
    return Optional.of(json.booleanValue());
  }

  Optional<Integer> integer(int min, int max, String fix) {
    if (!present()) {
      return Optional.empty();
    }
    if (!json.isIntegralNumber() || !json.canConvertToInt()) {
      problem("must be a whole number, not " + describe(json), fix);
      return Optional.empty();
    }
    int v = json.intValue();
    if (v < min || v > max) {
      problem("must be between " + min + " and " + max + ", not " + v, fix);
      return Optional.empty();
    }
    return Optional.of(v);
  }

  Optional<Double> number(double min, double max, String fix) {
    if (!present()) {
      return Optional.empty();
    }
    if (!json.isNumber()) {
      problem("must be a number, not " + describe(json), fix);
      return Optional.empty();
    }
    double v = json.doubleValue();
    if (!(v >= min && v <= max)) {
      problem("must be between " + min + " and " + max + ", not " + v, fix);
      return Optional.empty();
    }
    return Optional.of(v);
  }

  /** The elements of a list; records a problem when required and absent, or not a list. */
  List<ConfigNode> list(boolean required, String fix) {
    List<ConfigNode> out = new ArrayList<>();
    if (!present()) {
      if (required) {
        problem("is required", fix);
      }
      return out;
    }
    if (!json.isArray()) {
      problem("must be a list, not " + describe(json), fix);
      return out;
    }
    for (int i = 0; i < json.size(); i++) {
      out.add(new ConfigNode(path + "[" + i + "]", json.get(i), problems));
    }
    return out;
  }

  private static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT -> "a mapping";
      case STRING -> "the string '" + abbreviate(node.textValue()) + "'";
      case BOOLEAN -> "the boolean " + node.booleanValue();
      case NUMBER -> "the number " + node.numberValue();
      default -> node.getNodeType().name().toLowerCase();
    };
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
