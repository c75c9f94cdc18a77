/**
 * Cluster connectivity as seen by one hub replica: {@code Connected=True} on hello, {@code Unknown}
 * after three missed heartbeats. Pure Java with an injectable clock; the Cluster reconciler reads
 * it through {@link io.kapro.hub.cluster.connectivity.ConnectivityView}.
 */
package io.kapro.hub.cluster.connectivity;
