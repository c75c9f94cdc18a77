package io.kapro.oci.bundle;

import java.util.List;
import java.util.Objects;

/**
 * The desired state of one unit on one cluster: which local object to patch, to which version, and
 * exactly which fields to set.
 *
 * @param name unit name, unique within the bundle (as in the Fleet)
 * @param backend {@code Flux} or {@code ArgoCD}
 * @param object the local object the agent patches
 * @param version the desired version (chart version, tag, revision)
 * @param digest the desired artifact digest ({@code sha256:...}) when known, else empty
 * @param set the fields to set on the object, in order
 */
public record BundleUnit(
    String name,
    String backend,
    ObjectReference object,
    String version,
    String digest,
    List<FieldSet> set) {
  public BundleUnit {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(version, "version");
    digest = digest == null ? "" : digest;
    set = List.copyOf(set);
  }
}
