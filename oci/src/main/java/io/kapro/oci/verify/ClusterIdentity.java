package io.kapro.oci.verify;

import java.util.Objects;

/**
 * The cluster a verifier accepts bundles for: its hub namespace and name (the agent's own identity,
 * from its certificate).
 */
public record ClusterIdentity(String namespace, String name) {
  public ClusterIdentity {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
