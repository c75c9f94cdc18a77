package io.kapro.oci.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;

/**
 * An OCI image manifest (schema 2), written as canonical JSON and read strictly from untrusted
 * bytes.
 *
 * @param artifactType the manifest's artifactType, or null
 * @param config the config descriptor
 * @param layers the layer descriptors
 * @param annotations manifest annotations (empty when none)
 */
public record OciManifest(
    String artifactType,
    Descriptor config,
    List<Descriptor> layers,
    Map<String, String> annotations) {
  public OciManifest {
    layers = List.copyOf(layers);
    annotations =
        annotations == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(annotations));
  }

  /** Canonical JSON bytes (deterministic: same manifest, same bytes, same digest). */
  public byte[] toJson() {
    ObjectNode root = CanonicalJson.object();
    root.put("schemaVersion", 2);
    root.put("mediaType", MediaTypes.OCI_MANIFEST);
    if (artifactType != null) {
      root.put("artifactType", artifactType);
    }
    descriptor(root.putObject("config"), config);
    ArrayNode ls = root.putArray("layers");
    for (Descriptor l : layers) {
      descriptor(ls.addObject(), l);
    }
    if (!annotations.isEmpty()) {
      ObjectNode a = root.putObject("annotations");
      annotations.forEach(a::put);
    }
    return CanonicalJson.write(root);
  }

  private static void descriptor(ObjectNode n, Descriptor d) {
    n.put("mediaType", d.mediaType());
    n.put("digest", d.digest());
    n.put("size", d.size());
    if (!d.annotations().isEmpty()) {
      ObjectNode a = n.putObject("annotations");
      d.annotations().forEach(a::put);
    }
  }

  /**
   * Reads an OCI image manifest from untrusted bytes.
   *
   * @throws OciException {@code MALFORMED} naming what is wrong
   */
  public static OciManifest parse(byte[] json) {
    JsonNode root;
    try {
      root = CanonicalJson.readStrict(json);
    } catch (IOException e) {
      throw malformed("manifest is not well-formed JSON: " + BundleJson.firstLine(e.getMessage()));
    }
    if (!root.isObject()) {
      throw malformed("manifest must be a JSON object");
    }
    JsonNode sv = root.get("schemaVersion");
    if (sv == null || !sv.isIntegralNumber() || sv.asLong() != 2) {
      throw malformed("manifest schemaVersion must be 2");
    }
    JsonNode mt = root.get("mediaType");
    if (mt != null && !MediaTypes.OCI_MANIFEST.equals(mt.asText())) {
      throw malformed(
          "manifest mediaType is '" + mt.asText() + "', expected " + MediaTypes.OCI_MANIFEST);
    }
    JsonNode at = root.get("artifactType");
    if (at != null && !at.isTextual()) {
      throw malformed("manifest artifactType must be a string");
    }
    JsonNode layersNode = root.get("layers");
    if (layersNode == null || !layersNode.isArray()) {
      throw malformed("manifest layers is missing or not an array");
    }
    List<Descriptor> layers = new ArrayList<>();
    for (int i = 0; i < layersNode.size(); i++) {
      layers.add(descriptor(layersNode.get(i), "layers[" + i + "]"));
    }
    return new OciManifest(
        at == null ? null : at.textValue(),
        descriptor(root.get("config"), "config"),
        layers,
        annotations(root.get("annotations"), "annotations"));
  }

  private static Descriptor descriptor(JsonNode n, String where) {
    if (n == null || !n.isObject()) {
      throw malformed("manifest " + where + " is missing or not an object");
    }
    JsonNode mt = n.get("mediaType");
    JsonNode dg = n.get("digest");
    JsonNode sz = n.get("size");
    if (mt == null || !mt.isTextual()) {
      throw malformed("manifest " + where + ".mediaType is missing or not a string");
    }
    if (dg == null || !dg.isTextual() || !Digests.isSha256(dg.textValue())) {
      throw malformed("manifest " + where + ".digest is missing or not sha256:<64 hex>");
    }
    if (sz == null || !sz.isIntegralNumber() || !sz.canConvertToLong() || sz.longValue() < 0) {
      throw malformed("manifest " + where + ".size is missing or not a non-negative integer");
    }
    return new Descriptor(
        mt.textValue(),
        dg.textValue(),
        sz.longValue(),
        annotations(n.get("annotations"), where + ".annotations"));
  }

  private static Map<String, String> annotations(JsonNode n, String where) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isObject()) {
      throw malformed("manifest " + where + " must be an object of strings");
    }
    Iterator<Entry<String, JsonNode>> it = n.fields();
    while (it.hasNext()) {
      Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw malformed("manifest " + where + "." + e.getKey() + " must be a string");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  private static OciException malformed(String message) {
    return new OciException(Reason.MALFORMED, message);
  }
}
