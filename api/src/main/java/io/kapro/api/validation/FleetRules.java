package io.kapro.api.validation;

import io.kapro.api.v1alpha2.FleetSpec;
import io.kapro.api.v1alpha2.FleetUnit;
import io.kapro.api.v1alpha2.Patterns;
import io.kapro.api.v1alpha2.RegistrySpec;
import io.kapro.api.v1alpha2.UnitKind;
import io.kapro.api.v1alpha2.VersionField;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Fleet spec checks. */
final class FleetRules {
  private static final Duration MIN_TTL = Duration.ofMinutes(5);

  /**
   * The longest {@code bundleTTL}: an agent keeps an applied bundle past it only while it reports
   * the bundle expired, so the TTL bounds how long a frozen update channel (a registry serving
   * stale content) goes unnoticed. The hub enforces the same bound.
   */
  public static final Duration MAX_TTL = Duration.ofDays(7);

  private FleetRules() {}

  static void check(Problems p, String path, FleetSpec spec) {
    if (!p.required(path, spec, "the fleet's registry or layout, signing and units")) {
      return;
    }
    if (spec.getRegistry() == null && spec.getLayout() == null) {
      p.add(path, "set exactly one of registry (an OCI registry) or layout (an OCI image layout)");
    } else if (spec.getRegistry() != null && spec.getLayout() != null) {
      p.add(path + ".layout", "set exactly one of registry or layout; remove one of them");
    }
    registry(p, path + ".registry", spec.getRegistry());
    if (spec.getLayout() != null
        && p.required(path + ".layout.path", spec.getLayout().getPath(), "an absolute directory")
        && !spec.getLayout().getPath().startsWith("/")) {
      p.add(path + ".layout.path", "must be an absolute path, e.g. /var/lib/kapro/layout");
    }
    if (p.required(path + ".signing", spec.getSigning(), "signing.keySecretRef.name")
        && p.required(
            path + ".signing.keySecretRef",
            spec.getSigning().getKeySecretRef(),
            "keySecretRef.name")) {
      p.required(
          path + ".signing.keySecretRef.name",
          spec.getSigning().getKeySecretRef().getName(),
          "the Secret holding the signing key");
    }
    Duration ttl = p.duration(path + ".bundleTTL", spec.getBundleTTL());
    if (ttl != null && ttl.compareTo(MIN_TTL) < 0) {
      p.add(path + ".bundleTTL", "must be at least 5m");
    }
    if (ttl != null && ttl.compareTo(FleetSpec.MAX_BUNDLE_TTL) > 0) {
      p.add(path + ".bundleTTL", "must be at most 168h (7 days)");
    }
    Duration reissue = p.positiveDuration(path + ".reissueBefore", spec.getReissueBefore());
    if (reissue != null && ttl != null && reissue.compareTo(ttl) >= 0) {
      p.add(
          path + ".reissueBefore", "must be shorter than bundleTTL (" + spec.getBundleTTL() + ")");
    }
    units(p, path + ".units", spec.getUnits());
    SelectorRules.check(p, path + ".clusterSelector", spec.getClusterSelector());
    positive(p, path + ".heartbeatIntervalSeconds", spec.getHeartbeatIntervalSeconds());
    positive(p, path + ".pollIntervalSeconds", spec.getPollIntervalSeconds());
  }

  private static void registry(Problems p, String path, RegistrySpec r) {
    if (r == null) {
      return;
    }
    String url = r.getUrl();
    if (p.required(path + ".url", url, "host[:port] or https:// URL of the registry")) {
      String withScheme = url.contains("://") ? url : "https://" + url;
      try {
        URI uri = URI.create(withScheme);
        if (uri.getHost() == null
            || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
          throw new IllegalArgumentException();
        }
      } catch (IllegalArgumentException e) {
        p.add(
            path + ".url",
            "\"" + url + "\" is not a registry address: write host[:port], e.g. 127.0.0.1:5000");
      }
    }
    if (r.getRepositoryPrefix() != null
        && !r.getRepositoryPrefix().matches(Patterns.REPOSITORY_PREFIX)) {
      p.add(
          path + ".repositoryPrefix",
          "\""
              + r.getRepositoryPrefix()
              + "\" is not a repository path: use lower-case path components, e.g. kapro or team/kapro");
    }
  }

  private static void units(Problems p, String path, List<FleetUnit> units) {
    if (units == null || units.isEmpty()) {
      p.add(path, "must list at least one unit (name, backend, kind, objectRef, field)");
      return;
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < units.size(); i++) {
      String at = path + "[" + i + "]";
      FleetUnit u = units.get(i);
      if (!p.required(at, u, "name, backend, kind, objectRef and field")) {
        continue;
      }
      if (p.required(at + ".name", u.getName(), "a DNS label")) {
        p.dnsLabel(at + ".name", u.getName());
        Integer first = seen.putIfAbsent(u.getName(), i);
        if (first != null) {
          p.add(
              at + ".name",
              "duplicate unit name \""
                  + u.getName()
                  + "\" (also "
                  + path
                  + "["
                  + first
                  + "]); unit names must be unique");
        }
      }
      unit(p, at, u);
    }
  }

  private static void unit(Problems p, String at, FleetUnit u) {
    p.required(at + ".backend", u.getBackend(), "Flux or ArgoCD");
    boolean hasKind =
        p.required(at + ".kind", u.getKind(), "one of " + Arrays.toString(UnitKind.values()));
    if (hasKind && u.getBackend() != null && u.getKind().backend() != u.getBackend()) {
      p.add(
          at + ".backend",
          "kind "
              + u.getKind()
              + " belongs to backend "
              + u.getKind().backend()
              + "; set backend: "
              + u.getKind().backend());
    }
    if (p.required(at + ".objectRef", u.getObjectRef(), "objectRef.namespace and objectRef.name")) {
      if (p.required(
          at + ".objectRef.namespace",
          u.getObjectRef().getNamespace(),
          "the local object's namespace")) {
        p.dnsLabel(at + ".objectRef.namespace", u.getObjectRef().getNamespace());
      }
      if (p.required(
          at + ".objectRef.name", u.getObjectRef().getName(), "the local object's name")) {
        p.objectName(at + ".objectRef.name", u.getObjectRef().getName());
      }
    }
    VersionField field = u.getField();
    if (!p.required(at + ".field", field, "what the version sets, e.g. chartVersion") || !hasKind) {
      return;
    }
    if (field.kind() != u.getKind()) {
      String allowed =
          Arrays.stream(VersionField.values())
              .filter(f -> f.kind() == u.getKind())
              .map(Enum::name)
              .collect(Collectors.joining(", "));
      p.add(
          at + ".field",
          "field "
              + field
              + " applies to kind "
              + field.kind()
              + "; for kind "
              + u.getKind()
              + " use one of "
              + allowed);
      return;
    }
    requireOrForbid(p, at, "image", u.getImage(), field);
    requireOrForbid(p, at, "parameter", u.getParameter(), field);
  }

  private static void requireOrForbid(
      Problems p, String at, String prop, String value, VersionField field) {
    boolean needed = prop.equals(field.requires());
    if (needed) {
      p.required(at + "." + prop, value, "the " + prop + " name that field " + field + " sets");
    } else {
      p.unused(at + "." + prop, value, "with field " + field);
    }
  }

  private static void positive(Problems p, String path, Integer value) {
    if (value != null && value < 1) {
      p.add(path, "must be at least 1");
    }
  }
}
