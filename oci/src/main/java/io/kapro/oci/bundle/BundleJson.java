package io.kapro.oci.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Canonical JSON form of {@link BundlePayload} (RFC 8785). Writing is deterministic; reading is
 * strict (unknown or duplicate fields, wrong types and trailing content are errors), because the
 * reader sees untrusted bytes. The optional {@code drift} field is written only when it is not the
 * default {@code report}, so payloads without it keep their bytes (and older agents refuse a {@code
 * reapply} bundle instead of silently ignoring it).
 */
public final class BundleJson {
  private static final Set<String> PAYLOAD_FIELDS =
      Set.of(
          "schemaVersion",
          "cluster",
          "namespace",
          "fleet",
          "run",
          "sequence",
          "issuedAt",
          "expiresAt",
          "units",
          "rollback",
          "minSequence",
          "drift",
          "minEvidenceNumber");
  private static final Set<String> UNIT_FIELDS =
      Set.of("name", "backend", "object", "version", "digest", "set");
  private static final Set<String> OBJECT_FIELDS =
      Set.of("apiVersion", "kind", "namespace", "name");
  private static final Set<String> SET_FIELDS = Set.of("path", "value");

  private BundleJson() {}

  /** The canonical bytes of a payload (validated first). */
  public static byte[] write(BundlePayload p) {
    p.validate();
    ObjectNode root = CanonicalJson.object();
    root.put("schemaVersion", p.schemaVersion());
    root.put("cluster", p.cluster());
    root.put("namespace", p.namespace());
    root.put("fleet", p.fleet());
    root.put("run", p.run());
    root.put("sequence", p.sequence());
    root.put("issuedAt", p.issuedAt().toString());
    root.put("expiresAt", p.expiresAt().toString());
    root.put("rollback", p.rollback());
    if (p.minSequence() != 0) {
      root.put("minSequence", p.minSequence()); // optional: absent in older bundles
    }
    if (!p.drift().equals(BundlePayload.DRIFT_REPORT)) {
      root.put("drift", p.drift());
    }
    if (p.minEvidenceNumber() != 0) {
      root.put("minEvidenceNumber", p.minEvidenceNumber()); // optional: absent in older bundles
    }
    ArrayNode units = root.putArray("units");
    for (BundleUnit u : p.units()) {
      ObjectNode un = units.addObject();
      un.put("name", u.name());
      un.put("backend", u.backend());
      ObjectNode obj = un.putObject("object");
      obj.put("apiVersion", u.object().apiVersion());
      obj.put("kind", u.object().kind());
      obj.put("namespace", u.object().namespace());
      obj.put("name", u.object().name());
      un.put("version", u.version());
      un.put("digest", u.digest());
      ArrayNode set = un.putArray("set");
      for (FieldSet f : u.set()) {
        set.addObject().put("path", f.path()).put("value", f.value());
      }
    }
    return CanonicalJson.write(root);
  }

  /**
   * Reads a payload from untrusted bytes.
   *
   * @throws OciException {@code MALFORMED} when the bytes are not a payload, {@code
   *     UNSUPPORTED_SCHEMA} when the schema version is not {@link BundlePayload#SCHEMA_VERSION}
   */
  public static BundlePayload read(byte[] json) {
    JsonNode root;
    try {
      root = CanonicalJson.readStrict(json);
    } catch (IOException e) {
      throw malformed("payload is not well-formed JSON: " + firstLine(e.getMessage()));
    }
    if (!root.isObject()) {
      throw malformed("payload must be a JSON object");
    }
    JsonNode schema = root.get("schemaVersion");
    if (schema == null || !schema.isIntegralNumber()) {
      throw malformed("payload field schemaVersion is missing or not an integer");
    }
    if (schema.asLong() != BundlePayload.SCHEMA_VERSION) {
      throw new OciException(
          Reason.UNSUPPORTED_SCHEMA,
          "payload schemaVersion "
              + schema.asText()
              + " is not supported (this agent reads "
              + BundlePayload.SCHEMA_VERSION
              + "); upgrade the agent or publish with a matching hub");
    }
    onlyFields(root, PAYLOAD_FIELDS, "payload");
    List<BundleUnit> units = new ArrayList<>();
    JsonNode unitsNode = root.get("units");
    if (unitsNode == null || !unitsNode.isArray()) {
      throw malformed("payload field units is missing or not an array");
    }
    for (int i = 0; i < unitsNode.size(); i++) {
      units.add(unit(unitsNode.get(i), "units[" + i + "]"));
    }
    try {
      return new BundlePayload(
              (int) schema.asLong(),
              text(root, "cluster", "payload"),
              text(root, "namespace", "payload"),
              text(root, "fleet", "payload"),
              text(root, "run", "payload"),
              integer(root, "sequence", "payload"),
              instant(root, "issuedAt"),
              instant(root, "expiresAt"),
              units,
              bool(root, "rollback"),
              root.has("minSequence") ? integer(root, "minSequence", "payload") : 0,
              root.has("drift") ? text(root, "drift", "payload") : BundlePayload.DRIFT_REPORT,
              root.has("minEvidenceNumber") ? integer(root, "minEvidenceNumber", "payload") : 0)
          .validate();
    } catch (OciException e) {
      throw malformed(e.getMessage());
    }
  }

  private static BundleUnit unit(JsonNode n, String where) {
    if (n == null || !n.isObject()) {
      throw malformed(where + " must be an object");
    }
    onlyFields(n, UNIT_FIELDS, where);
    JsonNode o = n.get("object");
    if (o == null || !o.isObject()) {
      throw malformed(where + ".object is missing or not an object");
    }
    onlyFields(o, OBJECT_FIELDS, where + ".object");
    ObjectReference ref =
        new ObjectReference(
            text(o, "apiVersion", where + ".object"),
            text(o, "kind", where + ".object"),
            text(o, "namespace", where + ".object"),
            text(o, "name", where + ".object"));
    JsonNode setNode = n.get("set");
    if (setNode == null || !setNode.isArray()) {
      throw malformed(where + ".set is missing or not an array");
    }
    List<FieldSet> set = new ArrayList<>();
    for (int i = 0; i < setNode.size(); i++) {
      JsonNode f = setNode.get(i);
      String fw = where + ".set[" + i + "]";
      if (!f.isObject()) {
        throw malformed(fw + " must be an object");
      }
      onlyFields(f, SET_FIELDS, fw);
      set.add(new FieldSet(text(f, "path", fw), text(f, "value", fw)));
    }
    return new BundleUnit(
        text(n, "name", where),
        text(n, "backend", where),
        ref,
        text(n, "version", where),
        text(n, "digest", where),
        set);
  }

  private static void onlyFields(JsonNode n, Set<String> allowed, String where) {
    Iterator<String> it = n.fieldNames();
    while (it.hasNext()) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw malformed(where + " has unknown field '" + f + "'");
      }
    }
  }

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw malformed(where + "." + field + " is missing or not a string");
    }
    return v.textValue();
  }

  private static long integer(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw malformed(where + "." + field + " is missing or not an integer");
    }
    return v.longValue();
  }

  private static boolean bool(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isBoolean()) {
      throw malformed("payload." + field + " is missing or not a boolean");
    }
    return v.booleanValue();
  }

  private static Instant instant(JsonNode n, String field) {
    String s = text(n, field, "payload");
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw malformed("payload." + field + " '" + s + "' is not an RFC 3339 UTC timestamp");
    }
  }

  private static OciException malformed(String message) {
    return new OciException(Reason.MALFORMED, message);
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
