package io.kapro.hub.publish;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.v1alpha2.BundleSequence;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.kube.StatusUpdate;
import io.kapro.hub.target.PublishException;

/**
 * Bundle sequences in Cluster status. {@link #reserve} writes {@code sequence.reserved} (guarded by
 * resourceVersion) before anything is pushed, so a number handed out once is never handed out
 * again, whatever happens to the push or the hub afterwards.
 */
final class ClusterSequences {
  private final KubernetesClient client;

  ClusterSequences(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Reserves the next sequence: one above everything reserved or published before, and above {@code
   * floor} (the highest {@code seq-<n>} tag found in the registry for a Cluster without sequence
   * status, e.g. re-created).
   */
  long reserve(ClusterId id, long floor) {
    return reserve(id, null, floor).sequence();
  }

  /** A reserved sequence and the Cluster as written (the starting point of the next write). */
  record Reserved(long sequence, Cluster written) {}

  /**
   * As {@link #reserve(ClusterId, long)}, starting from {@code inHand} (a copy just read; null to
   * read it): one PATCH, a read only when it was stale.
   */
  Reserved reserve(ClusterId id, Cluster inHand, long floor) {
    long[] next = new long[1];
    java.util.function.Predicate<Cluster> change =
        c -> {
          BundleSequence seq = sequence(c);
          long reserved = seq.getReserved() == null ? 0 : seq.getReserved();
          long published = seq.getPublished() == null ? 0 : seq.getPublished();
          next[0] = Math.max(Math.max(reserved, published), floor) + 1;
          seq.setReserved(next[0]);
          return true;
        };
    Cluster written =
        (inHand == null
                ? StatusUpdate.update(client, Cluster.class, id.namespace(), id.name(), change)
                : StatusUpdate.update(client, inHand, change))
            .orElseThrow(() -> notFound(id));
    return new Reserved(next[0], written);
  }

  /** Records a pushed bundle; never moves {@code published} backwards. */
  void recordPublished(ClusterId id, long sequence, String digest) {
    recordPublished(id, null, sequence, digest);
  }

  /**
   * As {@link #recordPublished(ClusterId, long, String)}, starting from {@code inHand} (the Cluster
   * as {@link #reserve} wrote it; null to read it): one PATCH unless another write came between.
   */
  void recordPublished(ClusterId id, Cluster inHand, long sequence, String digest) {
    java.util.function.Predicate<Cluster> change =
        c -> {
          BundleSequence seq = sequence(c);
          long published = seq.getPublished() == null ? 0 : seq.getPublished();
          if (sequence <= published) {
            return false;
          }
          seq.setPublished(sequence);
          c.getStatus().setPublishedDigest(digest);
          return true;
        };
    if (inHand == null) {
      StatusUpdate.update(client, Cluster.class, id.namespace(), id.name(), change);
    } else {
      StatusUpdate.update(client, inHand, change);
    }
  }

  private static BundleSequence sequence(Cluster c) {
    if (c.getStatus() == null) {
      c.setStatus(new ClusterStatus());
    }
    if (c.getStatus().getSequence() == null) {
      c.getStatus().setSequence(new BundleSequence());
    }
    return c.getStatus().getSequence();
  }

  static PublishException notFound(ClusterId id) {
    return new PublishException(
        PublishException.Reason.NOT_FOUND, "Cluster " + id + " does not exist; create it first");
  }
}
