package io.kapro.hub.gateway;

import io.kapro.hub.ca.ClusterId;

/**
 * Nudges connected agents. Every hub replica calls it when it sees a cluster's published bundle
 * change (for example from a Cluster informer); the replica holding that agent's stream sends
 * {@code BundleAvailable} at once, the others do nothing.
 */
public interface BundleNotifier {

  /** A new bundle {@code sequence} / {@code digest} was published for {@code cluster}. */
  void bundleAvailable(ClusterId cluster, long sequence, String digest);
}
