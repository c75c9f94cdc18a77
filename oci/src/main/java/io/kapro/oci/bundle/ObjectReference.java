package io.kapro.oci.bundle;

import java.util.Objects;

/**
 * A local object on a spoke that a bundle unit patches, for example a Flux HelmRelease or an Argo
 * CD Application.
 *
 * @param apiVersion for example {@code helm.toolkit.fluxcd.io/v2} or {@code argoproj.io/v1alpha1}
 * @param kind for example {@code HelmRelease}
 * @param namespace the object's namespace on the spoke
 * @param name the object's name
 */
public record ObjectReference(String apiVersion, String kind, String namespace, String name) {
  public ObjectReference {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** {@code kind/namespace/name}, for messages. */
  @Override
  public String toString() {
    return kind + "/" + namespace + "/" + name;
  }
}
