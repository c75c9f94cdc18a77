package io.kapro.oci.verify;

import io.kapro.oci.OciException;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a cluster is: its Cluster object's namespace and name on the hub. The agent's configuration
 * names it, its client certificate carries it as the URI SAN {@link #spiffeId()}, a bundle verifier
 * accepts bundles for it, an evidence verifier checks the signer's certificate against it.
 *
 * @param namespace the Cluster's namespace on the hub (the tenancy boundary)
 * @param name the Cluster's name
 */
public record ClusterIdentity(String namespace, String name) {
  /** What every Kapro cluster identity URI starts with. */
  public static final String SPIFFE_PREFIX = "spiffe://kapro/ns/";

  private static final String CLUSTER = "/cluster/";

  public ClusterIdentity {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** The identity its certificate carries: {@code spiffe://kapro/ns/<namespace>/cluster/<name>}. */
  public String spiffeId() {
    return SPIFFE_PREFIX + namespace + CLUSTER + name;
  }

  /**
   * Reads {@code spiffe://kapro/ns/<namespace>/cluster/<name>} (both parts non-empty, no further
   * path); anything else is empty. Callers check the parts as Kubernetes names where they need to.
   */
  public static Optional<ClusterIdentity> fromSpiffeId(String uri) {
    if (uri == null || !uri.startsWith(SPIFFE_PREFIX)) {
      return Optional.empty();
    }
    String[] parts = uri.substring(SPIFFE_PREFIX.length()).split("/", -1);
    if (parts.length != 3
        || !parts[1].equals("cluster")
        || parts[0].isEmpty()
        || parts[2].isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ClusterIdentity(parts[0], parts[2]));
  }

  /** {@link #fromSpiffeId}, or an INVALID_INPUT error that shows the expected form. */
  public static ClusterIdentity parseSpiffeId(String uri) {
    return fromSpiffeId(uri)
        .orElseThrow(
            () ->
                new OciException(
                    OciException.Reason.INVALID_INPUT,
                    "identity '"
                        + uri
                        + "' must look like "
                        + SPIFFE_PREFIX
                        + "<namespace>/cluster/<name>"));
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
