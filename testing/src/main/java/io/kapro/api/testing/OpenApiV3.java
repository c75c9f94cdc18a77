package io.kapro.api.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.util.Collection;
import java.util.List;

/**
 * Minimal OpenAPI v3 documents: enough for kubectl to see that the server takes the {@code
 * fieldValidation} parameter, so {@code kubectl create} with the default {@code --validate=strict}
 * hands validation to the server instead of downloading schemas. The mock validates nothing; the
 * Kapro schema is checked in tests with the generated CRD and SpecValidator.
 */
final class OpenApiV3 {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OpenApiV3() {}

  /** {@code /openapi/v3}: one entry per served group version. */
  static String root(Collection<CustomResourceDefinition> crds) {
    ObjectNode paths = JSON.createObjectNode();
    ObjectNode root = JSON.createObjectNode();
    root.set("paths", paths);
    for (String gv : Discovery.groupVersions(crds)) {
      String key = gv.contains("/") ? "apis/" + gv : "api/" + gv;
      paths.putObject(key).put("serverRelativeURL", "/openapi/v3/" + key + "?hash=kapro");
    }
    return root.toString();
  }

  /** {@code /openapi/v3/apis/<group>/<version>} (or {@code api/v1}); null when not served. */
  static String groupVersion(String gv, Collection<CustomResourceDefinition> crds) {
    List<Discovery.Resource> resources = Discovery.resourcesOf(gv, crds);
    if (resources.isEmpty()) {
      return null;
    }
    ObjectNode doc = JSON.createObjectNode().put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
    ObjectNode paths = doc.putObject("paths");
    String[] parts = gv.contains("/") ? gv.split("/") : new String[] {"", gv};
    String prefix = gv.contains("/") ? "/apis/" + gv : "/api/" + gv;
    for (Discovery.Resource r : resources) {
      String path =
          prefix + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural() + "/{name}";
      ObjectNode item = paths.putObject(path);
      for (String verb : List.of("patch", "put")) {
        ObjectNode op = item.putObject(verb);
        op.putObject("x-kubernetes-group-version-kind")
            .put("group", parts[0])
            .put("version", parts[1])
            .put("kind", r.kind());
        op.putArray("parameters")
            .addObject()
            .put("name", "fieldValidation")
            .put("in", "query")
            .putObject("schema")
            .put("type", "string");
      }
      String collection = prefix + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural();
      ObjectNode post = paths.putObject(collection).putObject("post");
      post.putObject("x-kubernetes-group-version-kind")
          .put("group", parts[0])
          .put("version", parts[1])
          .put("kind", r.kind());
      post.putArray("parameters")
          .addObject()
          .put("name", "fieldValidation")
          .put("in", "query")
          .putObject("schema")
          .put("type", "string");
    }
    return doc.toString();
  }
}
