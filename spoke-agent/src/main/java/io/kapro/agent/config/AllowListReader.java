package io.kapro.agent.config;

import io.kapro.oci.verify.FieldGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads and checks the {@code allow} list. */
final class AllowListReader {
  private AllowListReader() {}

  static AllowList read(ConfigNode node) {
    String fix =
        "list the objects the hub may patch, e.g. {apiVersion: helm.toolkit.fluxcd.io/v2,"
            + " kind: HelmRelease, namespace: apps, fields: [spec.chart.spec.version]}";
    List<ConfigNode> items = node.list(true, fix);
    if (node.present() && items.isEmpty()) {
      node.problem("is empty: the agent would refuse every bundle", fix);
      return null;
    }
    List<AllowRule> rules = new ArrayList<>();
    boolean ok = !items.isEmpty();
    for (ConfigNode item : items) {
      AllowRule rule = rule(item, fix);
      if (rule == null) {
        ok = false;
      } else {
        rules.add(rule);
      }
    }
    return ok ? new AllowList(rules) : null;
  }

  private static AllowRule rule(ConfigNode item, String fix) {
    if (!item.object(true, fix)) {
      return null;
    }
    item.onlyKeys("apiVersion", "kind", "namespace", "name", "fields");
    Optional<String> apiVersion = item.child("apiVersion").text(true, fix);
    ConfigNode kindNode = item.child("kind");
    Optional<String> kind = kindNode.text(true, fix);
    boolean known =
        apiVersion.isPresent()
            && kind.isPresent()
            && ManagedKind.of(apiVersion.get(), kind.get()).isPresent();
    if (apiVersion.isPresent() && kind.isPresent() && !known) {
      kindNode.problem(
          apiVersion.get() + " " + kind.get() + " is not a kind the agent can patch",
          "use one of " + ManagedKind.names());
    }
    NamePattern ns = pattern(item.child("namespace"));
    NamePattern name = pattern(item.child("name"));
    List<FieldPath> fields = fields(item.child("fields"));
    if (!known || ns == null || name == null || fields == null) {
      return null;
    }
    return new AllowRule(apiVersion.get(), kind.get(), ns, name, fields);
  }

  private static NamePattern pattern(ConfigNode node) {
    if (!node.present()) {
      return NamePattern.ANY;
    }
    Optional<String> text = node.text(true, "write a name or a glob such as 'apps-*'");
    if (text.isEmpty()) {
      return null;
    }
    try {
      return new NamePattern(text.get());
    } catch (IllegalArgumentException e) {
      node.problem(e.getMessage(), "write a name or a glob such as 'apps-*'");
      return null;
    }
  }

  private static List<FieldPath> fields(ConfigNode node) {
    String fix = "list field path patterns under spec, e.g. spec.chart.spec.version";
    List<ConfigNode> items = node.list(true, fix);
    if (node.present() && items.isEmpty()) {
      node.problem("is empty: the rule would allow nothing", fix);
      return null;
    }
    List<FieldPath> out = new ArrayList<>();
    boolean ok = !items.isEmpty();
    for (ConfigNode item : items) {
      Optional<String> text = item.text(true, fix);
      if (text.isEmpty()) {
        ok = false;
        continue;
      }
      try {
        FieldPath p = FieldPath.parsePattern(text.get());
        if (!p.startsWith("spec")) {
          item.problem("'" + text.get() + "' is outside spec", "the hub may only set spec fields");
          ok = false;
        } else if (p.steps().size() < 2 || !(p.steps().get(1) instanceof FieldPath.Key)) {
          item.problem(
              "'"
                  + text.get()
                  + "' would allow the whole spec (no wildcard in the first two levels)",
              fix);
          ok = false;
        } else if (FieldGuard.deny(text.get()).isPresent()) {
          item.problem(FieldGuard.deny(text.get()).get(), "remove it from the allow-list");
          ok = false;
        } else {
          out.add(p);
        }
      } catch (IllegalArgumentException e) {
        item.problem(e.getMessage(), fix);
        ok = false;
      }
    }
    return ok ? out : null;
  }
}
