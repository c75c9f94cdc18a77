package io.kapro.hub.evidence;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Target;
import io.kapro.hub.ca.ClusterId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The gateway's {@link EvidenceReads} from informer caches: Targets indexed by {@code
 * <namespace>/<kapro.io/cluster label>}, Clusters from the cluster directory's informer. An
 * evidence batch then reads nothing from the API server (it was a Cluster GET and a Target LIST per
 * batch). A cluster missing from the cache (just created) is read once from the API server.
 */
public final class TargetsByCluster implements EvidenceReads, AutoCloseable {
  private static final String BY_CLUSTER = "by-cluster";

  private final SharedIndexInformer<Target> targets;
  private final Function<ClusterId, Optional<Cluster>> clusters;
  private final EvidenceReads direct;

  private TargetsByCluster(
      SharedIndexInformer<Target> targets,
      Function<ClusterId, Optional<Cluster>> clusters,
      EvidenceReads direct) {
    this.targets = targets;
    this.clusters = clusters;
    this.direct = direct;
  }

  /**
   * Starts the Target informer (all namespaces) and returns once its cache is filled.
   *
   * @param clusters the cluster directory's cache lookup
   */
  public static TargetsByCluster start(
      KubernetesClient client, Function<ClusterId, Optional<Cluster>> clusters) {
    SharedIndexInformer<Target> informer =
        client.resources(Target.class).inAnyNamespace().runnableInformer(0);
    informer.addIndexers(
        Map.of(
            BY_CLUSTER,
            t -> {
              Map<String, String> labels = t.getMetadata().getLabels();
              String c = labels == null ? null : labels.get(Kapro.Labels.CLUSTER);
              return c == null ? List.of() : List.of(t.getMetadata().getNamespace() + "/" + c);
            }));
    informer.run();
    return new TargetsByCluster(informer, clusters, EvidenceReads.direct(client));
  }

  @Override
  public Optional<Cluster> cluster(ClusterId id) {
    Optional<Cluster> c = clusters.apply(id);
    return c.isPresent() ? c : direct.cluster(id);
  }

  @Override
  public List<Target> targets(ClusterId id) {
    return targets.getIndexer().byIndex(BY_CLUSTER, id.namespace() + "/" + id.name());
  }

  @Override
  public boolean cached() {
    return true;
  }

  @Override
  public void close() {
    targets.close();
  }
}
