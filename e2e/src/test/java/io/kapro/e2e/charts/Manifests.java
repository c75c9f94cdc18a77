package io.kapro.e2e.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/** Checks every chart's rendered manifests must pass: hardening and RBAC shape. */
final class Manifests {
  private Manifests() {}

  /** One RBAC rule as text: {@code groups resources [names] verbs}, for exact comparisons. */
  static List<String> rules(JsonNode role) {
    List<String> out = new ArrayList<>();
    for (JsonNode r : role.path("rules")) {
      String names = r.has("resourceNames") ? " names=" + texts(r.get("resourceNames")) : "";
      out.add(
          "groups="
              + texts(r.path("apiGroups"))
              + " resources="
              + texts(r.path("resources"))
              + names
              + " verbs="
              + texts(r.path("verbs")));
    }
    return out;
  }

  static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  /** Env vars of the first container: name to value (or {@code fieldRef:<path>}). */
  static Map<String, String> env(JsonNode deployment) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode e : container(deployment).path("env")) {
      JsonNode ref = e.path("valueFrom").path("fieldRef").path("fieldPath");
      env.put(
          e.path("name").asText(),
          ref.isMissingNode() ? e.path("value").asText() : "fieldRef:" + ref.asText());
    }
    return env;
  }

  static JsonNode container(JsonNode deployment) {
    JsonNode containers = deployment.path("spec").path("template").path("spec").path("containers");
    assertThat(containers.size()).as("containers").isEqualTo(1);
    return containers.get(0);
  }

  /** Non-root, read-only root, seccomp RuntimeDefault, no privilege escalation, no capabilities. */
  static void assertHardened(JsonNode deployment) {
    JsonNode pod = deployment.path("spec").path("template").path("spec").path("securityContext");
    assertThat(pod.path("runAsNonRoot").asBoolean()).as("pod runAsNonRoot").isTrue();
    assertThat(pod.path("runAsUser").asInt()).as("pod runAsUser").isEqualTo(65532);
    assertThat(pod.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
    JsonNode c = container(deployment).path("securityContext");
    assertThat(c.path("runAsNonRoot").asBoolean()).as("container runAsNonRoot").isTrue();
    assertThat(c.path("readOnlyRootFilesystem").asBoolean()).as("readOnlyRootFilesystem").isTrue();
    assertThat(c.path("allowPrivilegeEscalation").isBoolean()).isTrue();
    assertThat(c.path("allowPrivilegeEscalation").asBoolean())
        .as("allowPrivilegeEscalation")
        .isFalse();
    assertThat(texts(c.path("capabilities").path("drop"))).containsExactly("ALL");
    assertThat(c.path("capabilities").has("add")).as("capabilities.add").isFalse();
    assertThat(c.has("privileged")).isFalse();
    JsonNode spec = deployment.path("spec").path("template").path("spec");
    assertThat(spec.path("hostNetwork").asBoolean()).isFalse();
    assertThat(spec.path("hostPID").asBoolean()).isFalse();
    // read-only root: /tmp is the one writable scratch place
    assertThat(container(deployment).path("volumeMounts").findValuesAsText("mountPath"))
        .contains("/tmp");
  }

  /**
   * No wildcard anywhere in any rule; every binding points at a role the chart itself renders (so
   * never cluster-admin, admin, edit or any other built-in role).
   */
  static void assertLeastPrivilege(Charts.Rendered r) {
    for (String kind : List.of("Role", "ClusterRole")) {
      for (JsonNode role : r.all(kind)) {
        for (JsonNode rule : role.path("rules")) {
          for (String field : List.of("apiGroups", "resources", "verbs", "resourceNames")) {
            assertThat(texts(rule.path(field)))
                .as(kind + " " + role.path("metadata").path("name").asText() + " " + field)
                .noneMatch(v -> v.contains("*"));
          }
          assertThat(rule.has("nonResourceURLs")).isFalse();
          assertThat(texts(rule.path("verbs"))).doesNotContain("escalate", "bind", "impersonate");
        }
      }
    }
    for (String kind : List.of("RoleBinding", "ClusterRoleBinding")) {
      for (JsonNode b : r.all(kind)) {
        String refKind = b.path("roleRef").path("kind").asText();
        String refName = b.path("roleRef").path("name").asText();
        assertThat(refName).isNotIn("cluster-admin", "admin", "edit", "view");
        assertThat(r.all(refKind).stream().map(d -> d.path("metadata").path("name").asText()))
            .as(kind + " " + b.path("metadata").path("name").asText() + " binds a chart role")
            .contains(refName);
        if (kind.equals("RoleBinding") && refKind.equals("Role")) {
          String ns = b.path("metadata").path("namespace").asText();
          assertThat(r.all("Role"))
              .as("RoleBinding %s/%s binds a Role of its own namespace", ns, refName)
              .anyMatch(
                  role ->
                      role.path("metadata").path("name").asText().equals(refName)
                          && role.path("metadata").path("namespace").asText().equals(ns));
        }
      }
    }
  }
}
