package io.kapro.agent.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A parsed field path as used by {@link io.kapro.oci.bundle.FieldSet}: dotted keys from the object
 * root, with list steps {@code [2]} (by index) and {@code [name=podinfo]} (by the element's field).
 *
 * <p>With {@code pattern = true} the same grammar also accepts wildcards: {@code *} as a key,
 * {@code [*]} for any list element and {@code [name=*]} for any value of that field. Patterns are
 * what the allow-list holds; concrete paths are what bundles carry.
 *
 * @param text the path as written
 * @param steps the parsed steps, root first
 */
public record FieldPath(String text, List<Step> steps) {
  /** Longest path accepted, in characters. */
  public static final int MAX_LENGTH = 512;

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_\\-]+");
  private static final int MAX_INDEX = 10_000;

  public FieldPath {
    steps = List.copyOf(steps);
  }

  /** One step of a path. */
  public sealed interface Step {}

  /** A map key. */
  public record Key(String name) implements Step {}

  /** A list element by position. */
  public record Index(int index) implements Step {}

  /** The list element whose field {@code key} equals {@code value}. */
  public record Match(String key, String value) implements Step {}

  /** Pattern only: any map key. */
  public record AnyKey() implements Step {}

  /** Pattern only: any list element, by index or by match. */
  public record AnyElement() implements Step {}

  /** Pattern only: an element matched by {@code key}, whatever the value. */
  public record MatchAnyValue(String key) implements Step {}

  /** Parses a concrete path (no wildcards). */
  public static FieldPath parse(String text) {
    return parse(text, false);
  }

  /** Parses an allow-list pattern (wildcards allowed). */
  public static FieldPath parsePattern(String text) {
    return parse(text, true);
  }

  /** The first step is the key {@code name}. */
  /** Whether this pattern has no wildcard step. */
  public boolean isExact() {
    return steps.stream()
        .noneMatch(
            s -> s instanceof AnyKey || s instanceof AnyElement || s instanceof MatchAnyValue);
  }

  public boolean startsWith(String name) {
    return !steps.isEmpty() && steps.getFirst() instanceof Key k && k.name().equals(name);
  }

  /** Whether this pattern matches the concrete {@code path}, step by step. */
  public boolean matches(FieldPath path) {
    if (path.steps.size() != steps.size()) {
      return false;
    }
    for (int i = 0; i < steps.size(); i++) {
      if (!stepMatches(steps.get(i), path.steps.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean stepMatches(Step pattern, Step actual) {
    return switch (pattern) {
      case AnyKey a -> actual instanceof Key;
      case AnyElement a -> actual instanceof Index || actual instanceof Match;
      case MatchAnyValue m -> actual instanceof Match x && x.key().equals(m.key());
      default -> pattern.equals(actual);
    };
  }

  @Override
  public String toString() {
    return text;
  }

  private static FieldPath parse(String text, boolean pattern) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty field path");
    }
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("field path longer than " + MAX_LENGTH + " characters");
    }
    List<Step> steps = new ArrayList<>();
    int i = 0;
    boolean expectKey = true;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '[') {
        if (steps.isEmpty()) {
          throw bad(text, "starts with a list step; start with a key such as spec");
        }
        int close = text.indexOf(']', i);
        if (close < 0) {
          throw bad(text, "'[' at position " + i + " is never closed");
        }
        steps.add(listStep(text, text.substring(i + 1, close), pattern));
        i = close + 1;
        expectKey = false;
      } else if (c == '.') {
        if (expectKey) {
          throw bad(text, "empty key at position " + i);
        }
        i++;
        expectKey = true;
        if (i == text.length()) {
          throw bad(text, "ends with '.'");
        }
      } else {
        if (!expectKey) {
          throw bad(text, "missing '.' before position " + i);
        }
        int end = i;
        while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
          end++;
        }
        String key = text.substring(i, end);
        if (pattern && key.equals("*")) {
          steps.add(new AnyKey());
        } else if (KEY.matcher(key).matches()) {
          steps.add(new Key(key));
        } else {
          throw bad(text, "key '" + key + "' may hold only letters, digits, '_' and '-'");
        }
        i = end;
        expectKey = false;
      }
    }
    return new FieldPath(text, steps);
  }

  private static Step listStep(String text, String inner, boolean pattern) {
    if (pattern && inner.equals("*")) {
      return new AnyElement();
    }
    if (!inner.isEmpty() && inner.chars().allMatch(Character::isDigit)) {
      if (inner.length() > 5 || Integer.parseInt(inner) > MAX_INDEX) {
        throw bad(text, "index [" + inner + "] is larger than " + MAX_INDEX);
      }
      return new Index(Integer.parseInt(inner));
    }
    int eq = inner.indexOf('=');
    if (eq <= 0 || eq == inner.length() - 1) {
      throw bad(
          text, "list step [" + inner + "] must be an index like [0] or a match like [name=x]");
    }
    String key = inner.substring(0, eq);
    String value = inner.substring(eq + 1);
    if (!KEY.matcher(key).matches()) {
      throw bad(text, "match key '" + key + "' may hold only letters, digits, '_' and '-'");
    }
    if (value.chars().anyMatch(ch -> ch < 0x20 || ch == '[')) {
      throw bad(text, "match value '" + value + "' holds a control character or '['");
    }
    if (pattern && value.equals("*")) {
      return new MatchAnyValue(key);
    }
    return new Match(key, value);
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException("field path '" + text + "' " + why);
  }
}
