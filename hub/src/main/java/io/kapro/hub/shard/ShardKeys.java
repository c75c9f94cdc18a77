package io.kapro.hub.shard;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.Target;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Which shard an object's work belongs to. A promotion's work stays together: a Fleet, the
 * Promotions and PromotionRuns through it and the runs' Targets all have the key {@code
 * <namespace>/<fleet>}, so one replica steps a run's engine and publishes its Targets. Objects that
 * stand alone (Cluster, Plan, Approval) spread by their own kind, namespace and name. The shard is
 * the key's 32-bit FNV-1a hash modulo the shard count (the function Argo CD's application
 * controller also distributes clusters with): stable across replicas, JVMs and restarts.
 */
public final class ShardKeys {
  private static final int FNV_OFFSET_BASIS = 0x811c9dc5;
  private static final int FNV_PRIME = 0x01000193;

  private ShardKeys() {}

  /** The shard of {@code key} among {@code shards} (at least 1). */
  public static int shardOf(String key, int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards: " + shards + " must be at least 1");
    }
    return Integer.remainderUnsigned(fnv1a32(key), shards);
  }

  /** The shard of {@code resource}'s work. */
  public static int shardOf(HasMetadata resource, int shards) {
    return shardOf(keyOf(resource), shards);
  }

  /** The sharding key of {@code resource}: its fleet's for promotion work, else its own. */
  public static String keyOf(HasMetadata resource) {
    String namespace = resource.getMetadata().getNamespace();
    String fleet =
        switch (resource) {
          case PromotionRun run -> run.getSpec() == null ? null : run.getSpec().getFleet();
          case Promotion p -> p.getSpec() == null ? null : p.getSpec().getFleet();
          case Target t -> label(t, Kapro.Labels.FLEET);
          case io.kapro.api.v1alpha2.Fleet f -> f.getMetadata().getName();
          default -> null;
        };
    if (fleet != null && !fleet.isBlank()) {
      return namespace + "/" + fleet;
    }
    return resource.getKind() + ":" + namespace + "/" + resource.getMetadata().getName();
  }

  private static String label(HasMetadata resource, String name) {
    Map<String, String> labels = resource.getMetadata().getLabels();
    return labels == null ? null : labels.get(name);
  }

  /** FNV-1a, 32 bits, over the key's UTF-8 bytes (draft-eastlake-fnv, section 2). */
  static int fnv1a32(String key) {
    int hash = FNV_OFFSET_BASIS;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= FNV_PRIME;
    }
    return hash;
  }
}
