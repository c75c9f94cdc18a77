package io.kapro.hub.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.agent.v1.Inventory;
import io.kapro.agent.v1.InventoryField;
import io.kapro.agent.v1.InventoryObject;
import io.kapro.api.Kapro;
import io.kapro.api.inventory.ClusterInventory;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.gateway.InventorySink;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each cluster's latest inventory in a ConfigMap ({@link ClusterInventory} says where), read
 * with {@code kubectl get configmap -l kapro.io/inventory=true}. API budget: an inventory is
 * written only when its digest differs from the one last written for the cluster (remembered on
 * this replica, and in the ConfigMap's annotation across restarts), so a reconnect or an unchanged
 * report costs nothing, and a change costs one read and one write. Writes run off the gRPC thread,
 * one cluster at a time; only the latest pending inventory of a cluster is written.
 */
public final class KubeInventoryStore implements InventorySink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubeInventoryStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final Map<ClusterId, String> written = new ConcurrentHashMap<>();
  private final Map<ClusterId, Inventory> pending = new ConcurrentHashMap<>();
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(Thread.ofVirtual().name("kapro-inventory").factory());

  public KubeInventoryStore(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void record(ClusterId cluster, Inventory inventory) {
    if (inventory.getDigest().equals(written.get(cluster))) {
      return;
    }
    if (pending.put(cluster, inventory) == null) {
      writer.execute(() -> write(cluster));
    }
  }

  private void write(ClusterId cluster) {
    Inventory inv = pending.remove(cluster);
    if (inv == null) {
      return;
    }
    try {
      String name = ClusterInventory.CONFIGMAP_PREFIX + cluster.name();
      ConfigMap current = client.configMaps().inNamespace(cluster.namespace()).withName(name).get();
      if (current != null
          && current.getMetadata().getAnnotations() != null
          && inv.getDigest()
              .equals(
                  current.getMetadata().getAnnotations().get(ClusterInventory.DIGEST_ANNOTATION))) {
        written.put(cluster, inv.getDigest());
        return;
      }
      // owned by its Cluster, so deleting the Cluster deletes its inventory (garbage collection)
      Cluster owner =
          client
              .resources(Cluster.class)
              .inNamespace(cluster.namespace())
              .withName(cluster.name())
              .get();
      if (owner == null) {
        LOG.warn("inventory of {} not stored: Cluster {} does not exist", cluster, cluster);
        written.remove(cluster);
        return;
      }
      ConfigMap cm =
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(cluster.namespace())
              .addNewOwnerReference()
              .withApiVersion(owner.getApiVersion())
              .withKind(owner.getKind())
              .withName(owner.getMetadata().getName())
              .withUid(owner.getMetadata().getUid())
              .endOwnerReference()
              .addToLabels(ClusterInventory.LABEL, "true")
              .addToLabels(Kapro.Labels.CLUSTER, cluster.name())
              .addToLabels(Kapro.Labels.MANAGED_BY, Kapro.Labels.MANAGED_BY_VALUE)
              .addToAnnotations(ClusterInventory.DIGEST_ANNOTATION, inv.getDigest())
              .endMetadata()
              .addToData(ClusterInventory.DATA_KEY, json(cluster, inv))
              .build();
      client.configMaps().inNamespace(cluster.namespace()).resource(cm).createOr(r -> r.update());
      written.put(cluster, inv.getDigest());
      LOG.info(
          "inventory of {}: {} object(s){}",
          cluster,
          inv.getObjectsCount(),
          inv.getTruncated() ? " (truncated by the agent)" : "");
    } catch (RuntimeException | JsonProcessingException e) {
      LOG.warn(
          "could not store the inventory of {} (kept for the next report): {}",
          cluster,
          e.toString());
      written.remove(cluster);
    }
  }

  static String json(ClusterId cluster, Inventory inv) throws JsonProcessingException {
    List<ClusterInventory.Item> items =
        inv.getObjectsList().stream().map(KubeInventoryStore::item).toList();
    String at =
        inv.hasObservedAt()
            ? Instant.ofEpochSecond(inv.getObservedAt().getSeconds()).toString()
            : null;
    return JSON.writerWithDefaultPrettyPrinter()
        .writeValueAsString(
            new ClusterInventory(cluster.name(), at, inv.getDigest(), inv.getTruncated(), items));
  }

  private static ClusterInventory.Item item(InventoryObject o) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (InventoryField f : o.getFieldsList()) {
      fields.put(f.getPath(), f.getValue());
    }
    return new ClusterInventory.Item(
        o.getApiVersion(),
        o.getKind(),
        o.getObjectNamespace(),
        o.getName(),
        fields,
        o.getSource().isEmpty() ? null : o.getSource(),
        o.getOwner().isEmpty() ? null : o.getOwner(),
        o.getManaged());
  }

  @Override
  public void close() {
    writer.shutdownNow();
  }
}
