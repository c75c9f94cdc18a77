package io.kapro.api.inventory;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What one cluster's agent last reported it runs (brownfield discovery), as the hub stores it: one
 * ConfigMap per cluster, {@value #CONFIGMAP_PREFIX}{@code <cluster>} in the cluster's namespace,
 * labelled {@value #LABEL}{@code =true} and {@code kapro.io/cluster=<cluster>}, the JSON under key
 * {@value #DATA_KEY}. Written only when the agent's digest changes, so its API cost is one write
 * per change of what runs, not per report.
 *
 * @param cluster the Cluster's name
 * @param observedAt when the agent listed the objects (RFC 3339)
 * @param digest the agent's digest of the objects
 * @param truncated the agent saw more objects than it may report
 * @param objects the objects, by kind, namespace and name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterInventory(
    String cluster, String observedAt, String digest, boolean truncated, List<Item> objects) {
  public static final String CONFIGMAP_PREFIX = "kapro-inventory-";
  public static final String LABEL = "kapro.io/inventory";
  public static final String DATA_KEY = "inventory.json";
  public static final String DIGEST_ANNOTATION = "kapro.io/inventory-digest";

  public ClusterInventory {
    objects = objects == null ? List.of() : List.copyOf(objects);
  }

  /**
   * One GitOps object.
   *
   * @param fields version-bearing field path → value
   * @param source where its content comes from
   * @param owner the GitOps object that owns it, or null
   * @param managed Kapro has patched it
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Item(
      String apiVersion,
      String kind,
      String namespace,
      String name,
      Map<String, String> fields,
      String source,
      String owner,
      boolean managed) {
    public Item {
      fields = fields == null ? Map.of() : Map.copyOf(fields);
    }

    /** {@code kind namespace/name}, the identity used to group the same object across clusters. */
    public String key() {
      return kind + " " + namespace + "/" + name;
    }
  }
}
