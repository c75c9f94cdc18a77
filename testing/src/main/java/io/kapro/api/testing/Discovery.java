package io.kapro.api.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The legacy discovery documents kubectl and client-go read: {@code /version}, {@code /api}, {@code
 * /api/v1}, {@code /apis}, {@code /apis/<group>/<version>}, for the core kinds the mock serves, a
 * few built-in groups and every registered CRD.
 */
final class Discovery {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** One served resource. */
  record Resource(
      String plural, String kind, boolean namespaced, List<String> shortNames, boolean status) {}

  private static final Map<String, List<Resource>> BUILT_IN = new LinkedHashMap<>();

  static {
    BUILT_IN.put(
        "v1",
        List.of(
            builtIn("namespaces", "Namespace", false, "ns"),
            builtIn("configmaps", "ConfigMap", true, "cm"),
            builtIn("secrets", "Secret", true),
            builtIn("serviceaccounts", "ServiceAccount", true, "sa"),
            builtIn("services", "Service", true, "svc"),
            builtIn("pods", "Pod", true, "po"),
            builtIn("events", "Event", true, "ev")));
    BUILT_IN.put(
        "apiextensions.k8s.io/v1",
        List.of(
            builtIn(
                "customresourcedefinitions", "CustomResourceDefinition", false, "crd", "crds")));
    BUILT_IN.put("coordination.k8s.io/v1", List.of(builtIn("leases", "Lease", true)));
    BUILT_IN.put("apps/v1", List.of(builtIn("deployments", "Deployment", true, "deploy")));
  }

  private static Resource builtIn(
      String plural, String kind, boolean namespaced, String... shortNames) {
    return new Resource(plural, kind, namespaced, List.of(shortNames), false);
  }

  private Discovery() {}

  static String version() {
    return JSON.createObjectNode()
        .put("major", "1")
        .put("minor", "32")
        .put("gitVersion", "v1.32.0")
        .put("gitCommit", "kapro-local")
        .put("gitTreeState", "clean")
        .put("buildDate", "2024-12-11T00:00:00Z")
        .put("goVersion", "go1.23")
        .put("compiler", "gc")
        .put("platform", "linux/amd64")
        .toString();
  }

  static String api(String serverAddress) {
    ObjectNode n = JSON.createObjectNode().put("kind", "APIVersions");
    n.putArray("versions").add("v1");
    n.putArray("serverAddressByClientCIDRs")
        .addObject()
        .put("clientCIDR", "0.0.0.0/0")
        .put("serverAddress", serverAddress);
    return n.toString();
  }

  /** Every served group version: {@code v1} first, then the groups. */
  static Set<String> groupVersions(Collection<CustomResourceDefinition> crds) {
    Set<String> out = new LinkedHashSet<>(BUILT_IN.keySet());
    for (CustomResourceDefinition crd : crds) {
      for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
        out.add(crd.getSpec().getGroup() + "/" + v.getName());
      }
    }
    return out;
  }

  static String apis(Collection<CustomResourceDefinition> crds) {
    Map<String, Set<String>> groups = new LinkedHashMap<>();
    for (String gv : groupVersions(crds)) {
      if (gv.contains("/")) {
        groups.computeIfAbsent(gv.split("/")[0], g -> new LinkedHashSet<>()).add(gv.split("/")[1]);
      }
    }
    ObjectNode n = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode list = n.putArray("groups");
    groups.forEach(
        (group, versions) -> {
          ObjectNode g = list.addObject().put("name", group);
          ArrayNode vs = g.putArray("versions");
          versions.forEach(
              v -> vs.addObject().put("groupVersion", group + "/" + v).put("version", v));
          String preferred = versions.iterator().next();
          g.putObject("preferredVersion")
              .put("groupVersion", group + "/" + preferred)
              .put("version", preferred);
        });
    return n.toString();
  }

  /** The resources served in a group version (empty when none). */
  static List<Resource> resourcesOf(
      String groupVersion, Collection<CustomResourceDefinition> crds) {
    List<Resource> out = new ArrayList<>(BUILT_IN.getOrDefault(groupVersion, List.of()));
    for (CustomResourceDefinition crd : crds) {
      var spec = crd.getSpec();
      for (CustomResourceDefinitionVersion v : spec.getVersions()) {
        if (groupVersion.equals(spec.getGroup() + "/" + v.getName())) {
          boolean status = v.getSubresources() != null && v.getSubresources().getStatus() != null;
          List<String> shortNames =
              spec.getNames().getShortNames() == null ? List.of() : spec.getNames().getShortNames();
          out.add(
              new Resource(
                  spec.getNames().getPlural(),
                  spec.getNames().getKind(),
                  "Namespaced".equals(spec.getScope()),
                  shortNames,
                  status));
        }
      }
    }
    return out;
  }

  /** The APIResourceList of a group version, or null when nothing is served there. */
  static String resources(String groupVersion, Collection<CustomResourceDefinition> crds) {
    List<Resource> resources = resourcesOf(groupVersion, crds);
    if (resources.isEmpty()) {
      return null;
    }
    ObjectNode n = JSON.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1");
    n.put("groupVersion", groupVersion);
    ArrayNode list = n.putArray("resources");
    for (Resource r : resources) {
      ObjectNode o =
          list.addObject()
              .put("name", r.plural())
              .put("singularName", r.kind().toLowerCase())
              .put("namespaced", r.namespaced())
              .put("kind", r.kind());
      ArrayNode verbs = o.putArray("verbs");
      VERBS.forEach(verbs::add);
      if (!r.shortNames().isEmpty()) {
        ArrayNode sn = o.putArray("shortNames");
        r.shortNames().forEach(sn::add);
      }
      if (r.status()) {
        ObjectNode s =
            list.addObject()
                .put("name", r.plural() + "/status")
                .put("singularName", "")
                .put("namespaced", r.namespaced())
                .put("kind", r.kind());
        s.putArray("verbs").add("get").add("patch").add("update");
      }
    }
    return n.toString();
  }
}
