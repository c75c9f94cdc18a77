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
    long[] next = new long[1];
    StatusUpdate.update(
            client,
            Cluster.class,
            id.namespace(),
            id.name(),
            c -> {
              BundleSequence seq = sequence(c);
              long reserved = seq.getReserved() == null ? 0 : seq.getReserved();
              long published = seq.getPublished() == null ? 0 : seq.getPublished();
              next[0] = Math.max(Math.max(reserved, published), floor) + 1;
              seq.setReserved(next[0]);
              return true;
            })
        .orElseThrow(() -> notFound(id));
    return next[0];
  }

  /** Records a pushed bundle; never moves {@code published} backwards. */
  void recordPublished(ClusterId id, long sequence, String digest) {
    StatusUpdate.update(
        client,
        Cluster.class,
        id.namespace(),
        id.name(),
        c -> {
          BundleSequence seq = sequence(c);
          long published = seq.getPublished() == null ? 0 : seq.getPublished();
          if (sequence <= published) {
            return false;
          }
          seq.setPublished(sequence);
          c.getStatus().setPublishedDigest(digest);
          return true;
        });
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
