package io.kapro.agent.drift;

import com.fasterxml.jackson.databind.JsonNode;
import io.kapro.agent.apply.ImageRefs;
import io.kapro.agent.config.FieldPath;
import io.kapro.agent.config.FieldPath.Index;
import io.kapro.agent.config.FieldPath.Key;
import io.kapro.agent.config.FieldPath.Match;
import io.kapro.agent.config.FieldPath.Step;
import java.util.List;
import java.util.Optional;

/**
 * Reads the string a concrete field path points at, the way the applier writes it: keys, list
 * indexes, {@code [key=value]} element matches and a final {@code [image=name]} override entry.
 * Pure.
 */
public final class FieldValues {
  private FieldValues() {}

  /** The string at {@code path}, empty when the path does not resolve to a string. */
  public static Optional<String> read(JsonNode root, FieldPath path) {
    JsonNode node = root;
    List<Step> steps = path.steps();
    for (int i = 0; i < steps.size(); i++) {
      if (node == null) {
        return Optional.empty();
      }
      boolean last = i == steps.size() - 1;
      switch (steps.get(i)) {
        case Key k -> node = node.isObject() ? node.get(k.name()) : null;
        case Index x -> node = node.isArray() ? node.get(x.index()) : null;
        case Match m when last && m.key().equals(ImageRefs.MATCH_KEY) -> {
          return image(node, m.value());
        }
        case Match m -> node = element(node, m);
        default -> {
          return Optional.empty();
        }
      }
    }
    return node != null && node.isTextual() ? Optional.of(node.textValue()) : Optional.empty();
  }

  private static Optional<String> image(JsonNode list, String name) {
    if (!list.isArray()) {
      return Optional.empty();
    }
    for (JsonNode el : list) {
      if (el.isTextual() && ImageRefs.nameOf(el.textValue()).equals(name)) {
        return Optional.of(el.textValue());
      }
    }
    return Optional.empty();
  }

  private static JsonNode element(JsonNode list, Match m) {
    if (!list.isArray()) {
      return null;
    }
    for (JsonNode el : list) {
      if (el.isObject() && m.value().equals(el.path(m.key()).asText(null))) {
        return el;
      }
    }
    return null;
  }
}
