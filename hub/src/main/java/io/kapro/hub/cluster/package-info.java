/** Clusters: connectivity from heartbeats (Connected True, Unknown after missed heartbeats). */
package io.kapro.hub.cluster;
