package io.kapro.agent.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Expresses a planned JSON merge patch as RFC 6902 JSON Patch operations against the object it was
 * planned from. The effect is the same (lists written back whole, {@code null} removes); the JSON
 * Patch form adds a {@code test} precondition and behaves identically on every API server,
 * including fabric8's mock, whose merge patch appends lists and stores nulls.
 */
final class JsonPatches {
  private JsonPatches() {}

  /** Operations turning {@code current} into {@code current} merged with {@code mergePatch}. */
  static ArrayNode fromMergePatch(JsonNode current, ObjectNode mergePatch, String resourceVersion) {
    ArrayNode ops = JsonNodeFactory.instance.arrayNode();
    if (resourceVersion != null) {
      ops.addObject()
          .put("op", "test")
          .put("path", "/metadata/resourceVersion")
          .put("value", resourceVersion);
    }
    walk(current, mergePatch, "", ops);
    return ops;
  }

  private static void walk(JsonNode current, ObjectNode patch, String base, ArrayNode ops) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = base + "/" + escape(e.getKey());
      JsonNode existing = current == null ? null : current.get(e.getKey());
      JsonNode value = e.getValue();
      if (value.isNull()) {
        if (existing != null) {
          ops.addObject().put("op", "remove").put("path", path);
        }
      } else if (value.isObject() && existing != null && existing.isObject()) {
        walk(existing, (ObjectNode) value, path, ops);
      } else {
        ops.addObject()
            .put("op", existing == null ? "add" : "replace")
            .put("path", path)
            .set("value", value.isObject() ? withoutNulls((ObjectNode) value) : value);
      }
    }
  }

  /** A new subtree has nothing to delete: drop the nulls a merge patch would ignore there. */
  private static ObjectNode withoutNulls(ObjectNode node) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    node.fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isObject()) {
                out.set(e.getKey(), withoutNulls((ObjectNode) e.getValue()));
              } else if (!e.getValue().isNull()) {
                out.set(e.getKey(), e.getValue());
              }
            });
    return out;
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
