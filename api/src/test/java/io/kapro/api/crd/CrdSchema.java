package io.kapro.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kapro.api.v1alpha2.KaproApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A generated CRD's openAPIV3Schema as a JSON-schema validator that, like {@code kubectl
 * --validate=strict}, treats unknown fields as errors. CEL rules (x-kubernetes-validations) are not
 * evaluated here; SpecValidator covers them.
 */
public final class CrdSchema {
  private static final YAMLMapper YAML = new YAMLMapper();
  private final JsonSchema schema;

  private CrdSchema(JsonNode openApiV3Schema) {
    ObjectNode root = openApiV3Schema.deepCopy();
    // The API server adds these to every CRD's root schema itself.
    ObjectNode props = (ObjectNode) root.get("properties");
    props.putObject("apiVersion").put("type", "string");
    props.putObject("kind").put("type", "string");
    props.putObject("metadata").put("type", "object");
    this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(strict(root));
  }

  /** The schema of the Kapro kind (read from the CRD the build generated). */
  public static CrdSchema of(String kind) {
    for (Class<? extends HasMetadata> k : KaproApi.KINDS) {
      if (HasMetadata.getKind(k).equals(kind)) {
        String resource =
            "META-INF/fabric8/" + HasMetadata.getPlural(k) + "." + KaproApi.GROUP + "-v1.yml";
        try (InputStream in = CrdSchema.class.getClassLoader().getResourceAsStream(resource)) {
          JsonNode crd = YAML.readTree(in);
          return new CrdSchema(crd.at("/spec/versions/0/schema/openAPIV3Schema"));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new IllegalArgumentException("not a Kapro kind: " + kind);
  }

  /** Every schema violation of the object, as {@code $.path: message} lines. */
  public List<String> validate(JsonNode object) {
    List<String> out = new ArrayList<>();
    for (ValidationMessage m : schema.validate(object)) {
      out.add(m.getMessage());
    }
    return out;
  }

  /** Closes every object schema that lists properties and does not say otherwise. */
  private static JsonNode strict(JsonNode node) {
    if (!node.isObject()) {
      return node;
    }
    ObjectNode o = (ObjectNode) node;
    boolean preserve = o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    Iterator<Map.Entry<String, JsonNode>> fields = o.fields();
    List<String> extensions = new ArrayList<>();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      if (e.getKey().startsWith("x-kubernetes-")) {
        extensions.add(e.getKey());
      }
    }
    extensions.forEach(o::remove);
    if (o.has("properties")) {
      o.get("properties").forEach(CrdSchema::strict);
      if (!o.has("additionalProperties") && !preserve) {
        o.put("additionalProperties", false);
      }
    }
    for (String key : List.of("items", "additionalProperties")) {
      if (o.has(key)) {
        strict(o.get(key));
      }
    }
    for (String key : List.of("anyOf", "allOf", "oneOf")) {
      if (o.has(key)) {
        o.get(key).forEach(CrdSchema::strict);
      }
    }
    return o;
  }
}
