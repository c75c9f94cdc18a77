package io.kapro.hub.publish;

import io.kapro.api.v1alpha2.FleetUnit;
import io.kapro.api.v1alpha2.VersionField;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.FieldSet;
import io.kapro.oci.bundle.ObjectReference;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Pure: a Fleet unit plus a version → the bundle unit, with field paths in exactly the syntax the
 * agent's applier accepts ({@code spec.images[name=<image>].newTag}, {@code
 * spec.postBuild.substitute.<VAR>}, {@code spec.source.kustomize.images[image=<image>]} with value
 * {@code <image>:<version>}, {@code spec.source.helm.parameters[name=<parameter>].value}, the plain
 * dotted paths otherwise). Multi-source Applications ({@code spec.sources[i]}) are not expressible
 * in a Fleet unit today: {@code targetRevision} sets {@code spec.source.targetRevision}.
 */
public final class UnitFields {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_\\-]+");
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final int MAX_VERSION = 256;

  private UnitFields() {}

  /** Checks a unit definition; {@code where} names it in the error. */
  static void check(FleetUnit u, String where) {
    if (u == null || FleetConfig.blank(u.getName())) {
      throw FleetConfig.invalid(where + ".name is empty");
    }
    if (u.getKind() == null || u.getBackend() == null || u.getField() == null) {
      throw FleetConfig.invalid(where + ": set backend, kind and field");
    }
    if (u.getKind().backend() != u.getBackend()) {
      throw FleetConfig.invalid(
          where + ": kind " + u.getKind() + " belongs to backend " + u.getKind().backend());
    }
    if (u.getField().kind() != u.getKind()) {
      throw FleetConfig.invalid(
          where + ": field " + u.getField() + " applies to kind " + u.getField().kind() + " only");
    }
    if (u.getObjectRef() == null
        || FleetConfig.blank(u.getObjectRef().getNamespace())
        || FleetConfig.blank(u.getObjectRef().getName())) {
      throw FleetConfig.invalid(where + ".objectRef needs namespace and name");
    }
    switch (u.getField()) {
      case image, kustomizeImage -> matchValue(u.getImage(), where + ".image");
      case helmParameter -> matchValue(u.getParameter(), where + ".parameter");
      case substitute -> {
        if (u.getParameter() == null || !KEY.matcher(u.getParameter()).matches()) {
          throw FleetConfig.invalid(
              where
                  + ".parameter must be a variable name (letters, digits, '_', '-'), got '"
                  + u.getParameter()
                  + "'");
        }
      }
      default -> {}
    }
  }

  private static void matchValue(String v, String field) {
    if (FleetConfig.blank(v)
        || v.length() > 255
        || v.chars().anyMatch(c -> c < 0x20 || c == '[' || c == ']')) {
      throw FleetConfig.invalid(
          field + " must be set, at most 255 characters, without '[', ']' or control characters");
    }
  }

  /** The bundle unit that sets {@code version} on the unit's object. */
  public static BundleUnit unit(FleetUnit u, String version) {
    checkVersion(u, version);
    VersionField f = u.getField();
    String value = version;
    String path =
        switch (f) {
          case image -> "spec.images[name=" + u.getImage() + "].newTag";
          case substitute -> "spec.postBuild.substitute." + u.getParameter();
          case kustomizeImage -> {
            value = u.getImage() + (DIGEST.matcher(version).matches() ? "@" : ":") + version;
            yield "spec.source.kustomize.images[image=" + u.getImage() + "]";
          }
          case helmParameter -> "spec.source.helm.parameters[name=" + u.getParameter() + "].value";
          default -> f.sets();
        };
    ObjectReference ref =
        new ObjectReference(
            u.getKind().apiVersion(),
            u.getKind().name(),
            u.getObjectRef().getNamespace(),
            u.getObjectRef().getName());
    String digest = f == VersionField.ociDigest ? version : "";
    return new BundleUnit(
        u.getName(),
        u.getBackend().name(),
        ref,
        version,
        digest,
        List.of(new FieldSet(path, value)));
  }

  private static void checkVersion(FleetUnit u, String version) {
    if (version == null
        || version.isBlank()
        || version.length() > MAX_VERSION
        || version.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw FleetConfig.invalid(
          "unit "
              + u.getName()
              + ": version must be 1.."
              + MAX_VERSION
              + " characters without control characters, got '"
              + version
              + "'");
    }
    if (u.getField() == VersionField.ociDigest && !DIGEST.matcher(version).matches()) {
      throw FleetConfig.invalid(
          "unit "
              + u.getName()
              + " sets spec.ref.digest: version must be sha256:<64 hex>, got '"
              + version
              + "'");
    }
  }
}
