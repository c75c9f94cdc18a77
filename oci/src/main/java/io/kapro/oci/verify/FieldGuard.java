package io.kapro.oci.verify;

import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.FieldSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What no allow-list can grant, and the default allow-list: one home for the agent (which applies
 * both before its own allow-list) and {@code kapro verify} (whose default is this, not "anything
 * under spec").
 *
 * <p>A bundle may not set a field that changes who the controller acts as, where it deploys or what
 * it deploys from: service accounts and kubeconfigs, target and storage namespaces, source
 * references, and for Argo CD the {@code project}, {@code repoURL} and {@code destination}; nor
 * anything under {@code metadata} (the agent sets the reconcile annotations itself). Keys inside
 * free-form Helm {@code values} are the chart's, not the controller's, and are not judged here.
 */
public final class FieldGuard {
  /** Keys that grant privilege wherever they appear outside Helm values. */
  static final Set<String> PRIVILEGED_KEYS =
      Set.of(
          "serviceAccountName",
          "kubeConfig",
          "targetNamespace",
          "storageNamespace",
          "sourceRef",
          "chartRef",
          "repoURL",
          "destination",
          "project",
          "decryption",
          "verify");

  /**
   * The default allow-list: the fields a Fleet unit can make the hub set (hub UnitFields), as path
   * prefixes; a path is allowed when it equals one or continues it with '.' or '['.
   */
  public static final List<String> DEFAULT_FIELDS =
      List.of(
          "spec.chart.spec.version",
          "spec.values",
          "spec.ref.tag",
          "spec.ref.semver",
          "spec.ref.digest",
          "spec.ref.commit",
          "spec.ref.branch",
          "spec.images",
          "spec.postBuild.substitute",
          "spec.source.targetRevision",
          "spec.source.kustomize.images",
          "spec.source.helm.parameters");

  private FieldGuard() {}

  /**
   * Why {@code path} (a field path such as {@code spec.chart.spec.sourceRef.name}) is never
   * allowed, empty when the built-in deny-list does not cover it.
   */
  public static Optional<String> deny(String path) {
    if (path.equals("metadata") || path.startsWith("metadata.") || path.startsWith("metadata[")) {
      return Optional.of(
          "field "
              + path
              + " is under metadata, which no allow-list can grant (the agent sets the reconcile"
              + " annotations itself)");
    }
    for (String key : keys(path)) {
      if (key.equals("values")) {
        return Optional.empty(); // free-form Helm values from here on
      }
      if (PRIVILEGED_KEYS.contains(key)) {
        return Optional.of(
            "field "
                + path
                + " sets '"
                + key
                + "', which changes who the controller acts as, where it deploys or what from;"
                + " no allow-list can grant it");
      }
    }
    return Optional.empty();
  }

  /** Whether {@code path} is on {@link #DEFAULT_FIELDS}. */
  public static boolean defaultAllows(String path) {
    return DEFAULT_FIELDS.stream()
        .anyMatch(
            p ->
                path.equals(p)
                    || (path.startsWith(p)
                        && (path.charAt(p.length()) == '.' || path.charAt(p.length()) == '[')));
  }

  /** The default policy: the deny-list, then {@link #DEFAULT_FIELDS}. */
  public static PatchPolicy defaultPolicy() {
    return (BundleUnit unit, FieldSet field) -> {
      Optional<String> denied = deny(field.path());
      if (denied.isPresent()) {
        return denied;
      }
      return defaultAllows(field.path())
          ? Optional.empty()
          : Optional.of(
              "field " + field.path() + " is not on the default allow-list " + DEFAULT_FIELDS);
    };
  }

  /** The map keys of a path, in order (list selectors and indexes skipped). */
  static List<String> keys(String path) {
    return List.of(path.replaceAll("\\[[^\\]]*\\]", "").split("\\."));
  }
}
