/**
 * Evidence from disconnected clusters: the hub imports the signed evidence artifacts {@code kapro
 * mirror} carried into its registry, verifies them against the key its CA certified for each
 * cluster, and feeds them into the same {@link io.kapro.hub.gateway.EvidenceSink} as the gateway.
 */
package io.kapro.hub.airgap;
