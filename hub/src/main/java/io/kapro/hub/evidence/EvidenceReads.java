package io.kapro.hub.evidence;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Target;
import io.kapro.hub.ca.ClusterId;
import java.util.List;
import java.util.Optional;

/**
 * Where evidence ingestion reads a cluster and its Targets. In the hub both come from informer
 * caches ({@link #cached}); the copies are never modified, and a write from a stale copy fails its
 * resourceVersion precondition and is redone on a fresh read ({@code StatusUpdate}).
 */
public interface EvidenceReads {
  /** The Cluster, possibly a cached copy; empty when it does not exist. */
  Optional<Cluster> cluster(ClusterId id);

  /** The Targets labelled with the cluster (all runs), possibly cached copies. */
  List<Target> targets(ClusterId id);

  /** Whether {@link #cluster} returns cached copies (writes then start from them). */
  boolean cached();

  /** Reads from the API server: a GET of the Cluster and a LIST of its Targets per batch. */
  static EvidenceReads direct(KubernetesClient client) {
    return new EvidenceReads() {
      @Override
      public Optional<Cluster> cluster(ClusterId id) {
        return Optional.ofNullable(
            client.resources(Cluster.class).inNamespace(id.namespace()).withName(id.name()).get());
      }

      @Override
      public List<Target> targets(ClusterId id) {
        return client
            .resources(Target.class)
            .inNamespace(id.namespace())
            .withLabel(Kapro.Labels.CLUSTER, id.name())
            .list()
            .getItems();
      }

      @Override
      public boolean cached() {
        return false;
      }
    };
  }
}
