package io.kapro.oci.bundle;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * RFC 8785 (JSON Canonicalization Scheme) writer for the JSON Kapro produces: objects with keys
 * sorted by UTF-16 code units, no insignificant whitespace, UTF-8, minimal string escapes. Numbers
 * are restricted to integers within ±2^53 (the range where RFC 8785's number form equals the
 * integer's decimal form), which is all bundles need.
 *
 * <p>Also holds the strict reader used for untrusted input: duplicate keys, trailing content and
 * deep nesting are errors.
 */
public final class CanonicalJson {
  private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  static {
    STRICT
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(1 << 20).build());
  }

  private CanonicalJson() {}

  /** A fresh object node to build canonical documents with. */
  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** Canonical UTF-8 bytes of the tree. */
  public static byte[] write(JsonNode node) {
    StringBuilder out = new StringBuilder(256);
    append(node, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses untrusted bytes strictly.
   *
   * @throws IOException with Jackson's description when the bytes are not one well-formed JSON
   *     document
   */
  public static JsonNode readStrict(byte[] json) throws IOException {
    JsonNode node = STRICT.readTree(json);
    if (node == null || node.isMissingNode()) {
      throw new IOException("empty document");
    }
    return node;
  }

  private static void append(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        names.sort(String::compareTo); // UTF-16 code unit order, as RFC 8785 requires
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          appendString(names.get(i), out);
          out.append(':');
          append(node.get(names.get(i)), out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          append(node.get(i), out);
        }
        out.append(']');
      }
      case STRING -> appendString(node.textValue(), out);
      case BOOLEAN -> out.append(node.booleanValue());
      case NULL -> out.append("null");
      case NUMBER -> {
        if (!node.canConvertToExactIntegral() || !node.canConvertToLong()) {
          throw new IllegalArgumentException("canonical JSON here allows integers only: " + node);
        }
        long v = node.longValue();
        if (Math.abs(v) > MAX_SAFE_INTEGER) {
          throw new IllegalArgumentException("integer outside ±2^53 cannot be canonical: " + v);
        }
        out.append(v);
      }
      default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
    }
  }

  private static void appendString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
