package io.kapro.api.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.kapro.api.v1alpha2.VersionField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders docs/crd-reference.md from the generated CRDs (so the reference cannot drift). */
final class CrdReference {
  private static final Map<String, String> INTRO =
      Map.of(
          "Fleet",
          "Defaults for a set of clusters: where bundles are published (an OCI registry, or an OCI"
              + " image layout for air gaps), the signing key, the units a Promotion can move, and"
              + " which Cluster objects belong to the fleet.",
          "Cluster",
          "One workload cluster known to the hub. Its own labels decide which fleet and which plan"
              + " stages select it. The hub fills the status from the agent's heartbeats and"
              + " evidence.",
          "Plan",
          "How a version travels: a graph of stages (each selects clusters by label and waits for"
              + " the stages in `dependsOn`), rolled out in waves behind gates, with a failure"
              + " policy.",
          "Promotion",
          "Your intent: promote these unit versions through a fleet using a plan. Changing the"
              + " spec starts a new PromotionRun that supersedes the old one.",
          "PromotionRun",
          "One attempt of a Promotion, stamped by the controller (do not create these). Its spec"
              + " is immutable; its status shows stage progress, target counts and an audit trail.",
          "Target",
          "One cluster in one stage of a run, made by the controller: phase, gate results, the"
              + " bundle issued and the agent's evidence.",
          "Approval",
          "A person's decision for an Approval gate: approve or reject a run, one stage of it, or"
              + " one target.",
          "Source",
          "Where new versions of one fleet unit come from (an OCI repository's tags, a Helm chart repository's versions, a Git repository's tags or branch head): the hub"
              + " checks it every interval or when asked, records what it found (newest first) and"
              + " which versions are available but not yet promoted, and promotes by the Fleet's"
              + " spec.sources policy. See docs/sources.md.",
          "SourceGroup",
          "Several Sources of one fleet whose newest versions are promoted together as one set"
              + " (Kargo's Freight): the hub records every set it sees (newest first, each"
              + " member's version, digest and origin), lists the sets available, and with the"
              + " Fleet's spec.sources policy Auto promotes each new set in one Promotion"
              + " <fleet>-<group>. See docs/sources.md.");

  private CrdReference() {}

  static String render(List<CustomResourceDefinition> crds) {
    StringBuilder b = new StringBuilder();
    b.append("# Kapro CRD reference (`kapro.io/v1alpha2`)\n\n")
        .append("Generated from the CRDs in `charts/hub/crds/` by `CrdReferenceTest` (api module);")
        .append(" refresh with `")
        .append(CrdDriftTest.REFRESH)
        .append("`.\nAll kinds are namespaced and have a status subresource; the namespace is the")
        .append(" tenancy boundary. Durations are Go durations (`90s`, `5m`, `1h30m`).\n\n")
        .append("| kind | short name | plural |\n|---|---|---|\n");
    for (CustomResourceDefinition crd : crds) {
      var names = crd.getSpec().getNames();
      b.append("| [")
          .append(names.getKind())
          .append("](#")
          .append(names.getKind().toLowerCase())
          .append(") | `")
          .append(String.join("`, `", names.getShortNames()))
          .append("` | `")
          .append(names.getPlural())
          .append("` |\n");
    }
    for (CustomResourceDefinition crd : crds) {
      kind(b, crd);
    }
    b.append(STATIC_TAIL);
    b.append(
        "\n### Unit fields\n\n| field | kind | sets on the local object | needs |\n|---|---|---|---|\n");
    for (VersionField f : VersionField.values()) {
      b.append("| `")
          .append(f)
          .append("` | ")
          .append(f.kind())
          .append(" (")
          .append(f.kind().backend())
          .append(", `")
          .append(f.kind().apiVersion())
          .append("`) | `")
          .append(f.sets())
          .append("` | ")
          .append(f.requires() == null ? "" : "`" + f.requires() + "`")
          .append(" |\n");
    }
    return b.toString();
  }

  private static void kind(StringBuilder b, CustomResourceDefinition crd) {
    String kind = crd.getSpec().getNames().getKind();
    CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
    b.append("\n## ")
        .append(kind)
        .append("\n\n")
        .append(INTRO.getOrDefault(kind, ""))
        .append("\n\n");
    b.append("`kubectl get ")
        .append(crd.getSpec().getNames().getPlural())
        .append("` columns (`-o wide` adds those marked wide):\n\n")
        .append("| column | JSONPath | type | shown |\n|---|---|---|---|\n");
    for (CustomResourceColumnDefinition c : v.getAdditionalPrinterColumns()) {
      b.append("| ")
          .append(c.getName())
          .append(" | `")
          .append(c.getJsonPath().replace("|", "\\|"))
          .append("` | ")
          .append(c.getType())
          .append(" | ")
          .append(c.getPriority() == null || c.getPriority() == 0 ? "always" : "wide")
          .append(" |\n");
    }
    JSONSchemaProps root = v.getSchema().getOpenAPIV3Schema();
    for (String part : List.of("spec", "status")) {
      JSONSchemaProps s = root.getProperties().get(part);
      if (s == null) {
        continue;
      }
      b.append("\n### ").append(kind).append(" ").append(part).append("\n\n");
      rules(b, part, s);
      b.append("| field | type | required | default | description |\n|---|---|---|---|---|\n");
      fields(b, part, s);
    }
  }

  private static void rules(StringBuilder b, String path, JSONSchemaProps s) {
    List<String> rules = new ArrayList<>();
    collectRules(path, s, rules);
    if (!rules.isEmpty()) {
      b.append("Checked by the API server (CEL):\n\n");
      rules.forEach(r -> b.append("- ").append(r).append("\n"));
      b.append("\n");
    }
  }

  private static void collectRules(String path, JSONSchemaProps s, List<String> out) {
    if (s == null) {
      return;
    }
    if (s.getXKubernetesValidations() != null) {
      for (ValidationRule r : s.getXKubernetesValidations()) {
        out.add("`" + path + "`: " + r.getMessage() + " (`" + r.getRule() + "`)");
      }
    }
    if (s.getProperties() != null) {
      s.getProperties().forEach((k, p) -> collectRules(path + "." + k, p, out));
    }
    if (s.getItems() != null && s.getItems().getSchema() != null) {
      collectRules(path + "[]", s.getItems().getSchema(), out);
    }
  }

  private static void fields(StringBuilder b, String path, JSONSchemaProps s) {
    if (s.getProperties() == null) {
      return;
    }
    List<String> required = s.getRequired() == null ? List.of() : s.getRequired();
    s.getProperties()
        .forEach(
            (name, p) -> {
              String at = path + "." + name;
              JSONSchemaProps item = p.getItems() == null ? null : p.getItems().getSchema();
              b.append("| `")
                  .append(at)
                  .append("` | ")
                  .append(type(p))
                  .append(" | ")
                  .append(required.contains(name) ? "yes" : "")
                  .append(" | ")
                  .append(p.getDefault() == null ? "" : "`" + p.getDefault() + "`")
                  .append(" | ")
                  .append(describe(p).replace("|", "\\|"))
                  .append(" |\n");
              if (p.getProperties() != null) {
                fields(b, at, p);
              }
              if (item != null && hasProps(item)) {
                fields(b, at + "[]", item);
              }
              if (p.getAdditionalProperties() != null
                  && p.getAdditionalProperties().getSchema() != null
                  && hasProps(p.getAdditionalProperties().getSchema())) {
                fields(b, at + "{}", p.getAdditionalProperties().getSchema());
              }
            });
  }

  private static boolean hasProps(JSONSchemaProps p) {
    return p.getProperties() != null && !p.getProperties().isEmpty();
  }

  private static String type(JSONSchemaProps p) {
    if (Boolean.TRUE.equals(p.getXKubernetesIntOrString())) {
      return "int or string";
    }
    if ("array".equals(p.getType()) && p.getItems() != null && p.getItems().getSchema() != null) {
      JSONSchemaProps i = p.getItems().getSchema();
      return (hasProps(i) ? "object" : i.getType()) + "[]";
    }
    if ("object".equals(p.getType())
        && p.getAdditionalProperties() != null
        && p.getAdditionalProperties().getSchema() != null) {
      JSONSchemaProps v = p.getAdditionalProperties().getSchema();
      return "map[string]" + (hasProps(v) ? "object" : v.getType());
    }
    return p.getType() == null ? "" : p.getType();
  }

  private static String describe(JSONSchemaProps p) {
    List<String> parts = new ArrayList<>();
    if (p.getDescription() != null) {
      parts.add(p.getDescription());
    }
    JSONSchemaProps enumSource =
        p.getItems() != null && p.getItems().getSchema() != null ? p.getItems().getSchema() : p;
    if (enumSource.getEnum() != null && !enumSource.getEnum().isEmpty()) {
      parts.add(
          "One of "
              + enumSource.getEnum().stream()
                  .map(e -> "`" + e.asText() + "`")
                  .collect(Collectors.joining(", "))
              + ".");
    }
    if (p.getPattern() != null) {
      parts.add("Pattern `" + p.getPattern() + "`.");
    }
    if (p.getMinimum() != null) {
      parts.add("Minimum " + p.getMinimum().longValue() + ".");
    }
    if (p.getMaximum() != null) {
      parts.add("Maximum " + p.getMaximum().longValue() + ".");
    }
    if (p.getMinItems() != null || p.getMaxItems() != null) {
      parts.add(
          "Items: "
              + (p.getMinItems() == null ? 0 : p.getMinItems())
              + ".."
              + (p.getMaxItems() == null ? "∞" : p.getMaxItems())
              + ".");
    }
    if (p.getMaxLength() != null) {
      parts.add("At most " + p.getMaxLength() + " characters.");
    }
    return String.join(" ", parts).replace("<", "&lt;").replace(">", "&gt;");
  }

  private static final String STATIC_TAIL =
      """

      ## Labels

      Controllers put these labels on every object they make (PromotionRun, Target), so that
      selectors such as `kubectl get targets -l kapro.io/stage=prod,kapro.io/phase=Failed` work.
      The constants live in `io.kapro.api.Kapro.Labels`.

      | label | value |
      |---|---|
      | `kapro.io/fleet` | Fleet name |
      | `kapro.io/promotion` | Promotion name |
      | `kapro.io/promotionrun` | PromotionRun name |
      | `kapro.io/stage` | Stage name |
      | `kapro.io/cluster` | Cluster name |
      | `kapro.io/phase` | current phase (kept equal to `status.phase`) |
      | `app.kubernetes.io/managed-by` | `kapro` |

      Cluster membership is decided by labels *you* put on Cluster objects (any keys; the
      quickstart uses `fleet` and `stage`), matched by `Fleet.spec.clusterSelector` and each
      stage's `selector`.

      ## Conditions

      Every status has `conditions[]` with `type`, `status` (`True`, `False`, `Unknown`),
      `reason` (CamelCase), `message`, `lastTransitionTime`, `observedGeneration`. Types: `Ready`,
      `Progressing`, `Stalled`, and on Cluster `Connected`. A spec the hub cannot act on gets
      `Ready=False` with reason `InvalidSpec` and a message naming each field and the fix, e.g.
      `spec.stages[1].dependsOn[0]: unknown stage "canry"; name one of [canary, prod]`.

      Target and Cluster also carry what the agent keeps reporting after convergence: `Degraded`
      (`True` with the local controller's own reason, e.g. `TestFailed`, and its message; `False`,
      reason `Healthy`) and `Drifted` (`True` with reason `FieldDrifted`, naming each field with the
      bundle's and the observed value, or `OwnerConflict`, naming the owner that keeps reverting it;
      `False` with reason `InSync`, or `Reapplied` when the agent put fields back under
      `Fleet.spec.drift: Reapply`). See [operations](operations.md#after-convergence-regressions-and-drift).

      ## Checks beyond the schema

      The hub checks what a schema cannot (`SpecValidator`): dependency cycles, unknown, duplicate
      and self dependencies; duplicate stage, gate and unit names; waves (counts first, then
      cumulative percentages, each larger than the last, ending at `100%`); durations (positive,
      `bundleTTL` from `5m` to `168h`, `reissueBefore` shorter than `bundleTTL`); exactly one of
      `registry` or `layout`; a unit's `kind` belongs to its `backend` and its `field` suits its
      `kind`, with `image` or `parameter` set exactly when the field needs it; a gate carries the
      settings of its type only; time windows and time zones; webhook URLs; label selector
      operators; and that a Promotion names units the fleet declares.
      """;
}
