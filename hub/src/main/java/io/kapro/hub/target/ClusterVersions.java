package io.kapro.hub.target;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.api.v1alpha2.ProvenVersion;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.UnitVersion;
import io.kapro.hub.kube.StatusUpdate;
import io.kapro.hub.kube.Times;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Records on the Cluster the versions a Converged Target proved, keeping the version before each
 * change in {@code previousVersions} (what a rollback returns to).
 */
final class ClusterVersions {
  private ClusterVersions() {}

  static void record(KubernetesClient client, Target target, Instant now) {
    String ns = target.getMetadata().getNamespace();
    Cluster cluster =
        client
            .resources(Cluster.class)
            .inNamespace(ns)
            .withName(target.getSpec().getCluster())
            .get();
    if (cluster == null || !changes(cluster, target)) {
      return;
    }
    StatusUpdate.update(
        client,
        Cluster.class,
        ns,
        target.getSpec().getCluster(),
        cur -> {
          ClusterStatus s = cur.getStatus() == null ? new ClusterStatus() : cur.getStatus();
          Map<String, ProvenVersion> versions =
              s.getVersions() == null
                  ? new LinkedHashMap<>()
                  : new LinkedHashMap<>(s.getVersions());
          Map<String, String> previous =
              s.getPreviousVersions() == null
                  ? new LinkedHashMap<>()
                  : new LinkedHashMap<>(s.getPreviousVersions());
          for (UnitVersion u : target.getSpec().getUnits()) {
            ProvenVersion old = versions.get(u.getName());
            if (old != null && Objects.equals(old.getVersion(), u.getVersion())) {
              continue;
            }
            if (old != null && old.getVersion() != null) {
              previous.put(u.getName(), old.getVersion());
            }
            ProvenVersion v = new ProvenVersion();
            v.setVersion(u.getVersion());
            v.setSince(Times.format(now));
            versions.put(u.getName(), v);
          }
          s.setVersions(versions);
          s.setPreviousVersions(previous);
          s.setVersionSummary(
              versions.entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue().getVersion())
                  .collect(Collectors.joining(",")));
          cur.setStatus(s);
          return true;
        });
  }

  private static boolean changes(Cluster cluster, Target target) {
    Map<String, ProvenVersion> versions =
        cluster.getStatus() == null || cluster.getStatus().getVersions() == null
            ? Map.of()
            : cluster.getStatus().getVersions();
    for (UnitVersion u : target.getSpec().getUnits()) {
      ProvenVersion v = versions.get(u.getName());
      if (v == null || !Objects.equals(v.getVersion(), u.getVersion())) {
        return true;
      }
    }
    return false;
  }
}
