package io.kapro.hub.ca;

import io.kapro.hub.link.LinkException;
import io.kapro.oci.verify.ClusterIdentity;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identity of one workload cluster: its Cluster object's namespace and name. Carried in a
 * client certificate as the URI SAN {@code spiffe://kapro/ns/<namespace>/cluster/<name>}.
 */
public record ClusterId(String namespace, String name) {

  static final String PREFIX = ClusterIdentity.SPIFFE_PREFIX;
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** Validates both parts as Kubernetes names. */
  public ClusterId {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    if (!LABEL.matcher(namespace).matches()) {
      throw new LinkException(
          LinkException.Reason.BAD_IDENTITY,
          "namespace '" + namespace + "' is not a DNS-1123 label (lower-case, digits, '-')");
    }
    if (name.length() > 253 || !SUBDOMAIN.matcher(name).matches()) {
      throw new LinkException(
          LinkException.Reason.BAD_IDENTITY,
          "cluster name '" + name + "' is not a DNS-1123 subdomain (lower-case, digits, '-', '.')");
    }
  }

  /** Parses {@code spiffe://kapro/ns/<namespace>/cluster/<name>}; anything else is refused. */
  public static ClusterId parse(String uri) {
    ClusterIdentity id =
        ClusterIdentity.fromSpiffeId(uri)
            .orElseThrow(
                () ->
                    new LinkException(
                        LinkException.Reason.BAD_IDENTITY,
                        "identity '"
                            + uri
                            + "' must look like spiffe://kapro/ns/<namespace>/cluster/<name>"));
    return new ClusterId(id.namespace(), id.name());
  }

  /** The same identity as the oci modules' type (bundle and evidence verification). */
  public ClusterIdentity identity() {
    return new ClusterIdentity(namespace, name);
  }

  /** The URI SAN this identity is carried in. */
  public String uri() {
    return identity().spiffeId();
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
