package io.kapro.hub.gateway;

import io.kapro.hub.ca.ClusterId;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The gateway's view of the Cluster objects. The hub implements it on the Cluster CRD (an informer
 * cache); tests use {@link InMemoryClusterDirectory}.
 */
public interface ClusterDirectory {

  /** The cluster, or empty when no Cluster object has this namespace and name. */
  Optional<ClusterEntry> find(ClusterId id);

  /**
   * The cluster a bundle (manifest digest) was published for, if the hub knows the digest. Used to
   * refuse evidence and hellos that speak about another cluster's bundle.
   */
  Optional<ClusterId> bundleOwner(String digest);

  /**
   * Calls {@code listener} after a cluster changes (revocations, settings, deletion), so open
   * streams of revoked certificates are closed and new settings are sent.
   */
  void addListener(Consumer<ClusterId> listener);
}
