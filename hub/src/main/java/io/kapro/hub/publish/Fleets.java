package io.kapro.hub.publish;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Fleet;
import java.util.Comparator;
import java.util.Optional;

/** Which Fleet a Cluster belongs to: the first (by name) whose clusterSelector matches it. */
public final class Fleets {
  private Fleets() {}

  public static Optional<Fleet> of(KubernetesClient client, Cluster cluster) {
    return owner(
        client
            .resources(Fleet.class)
            .inNamespace(cluster.getMetadata().getNamespace())
            .list()
            .getItems(),
        cluster);
  }

  /** Pure: the owner among {@code fleets} (same namespace); an empty selector selects all. */
  public static Optional<Fleet> owner(java.util.List<Fleet> fleets, Cluster cluster) {
    return fleets.stream()
        .filter(f -> f.getSpec() != null)
        .filter(f -> f.selects(cluster))
        .min(Comparator.comparing(f -> f.getMetadata().getName()));
  }
}
