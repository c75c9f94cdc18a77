package io.kapro.api.v1alpha2;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Defaults for a set of clusters: bundle registry or layout, signing key, units, cluster selector.
 */
@Group(KaproApi.GROUP)
@Version(KaproApi.VERSION)
@ShortNames("kf")
@AdditionalPrinterColumn(
    name = "Clusters",
    jsonPath = ".status.clusters",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Fleet extends CustomResource<FleetSpec, FleetStatus> implements Namespaced {

  /**
   * Whether this Fleet selects {@code cluster}: its {@code clusterSelector} matches the cluster's
   * labels; without a selector it selects every cluster of its namespace.
   */
  public boolean selects(io.fabric8.kubernetes.api.model.HasMetadata cluster) {
    LabelSelector s = getSpec() == null ? null : getSpec().getClusterSelector();
    return s == null || s.matches(cluster.getMetadata().getLabels());
  }
}
