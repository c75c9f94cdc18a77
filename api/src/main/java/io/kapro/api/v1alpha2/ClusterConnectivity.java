package io.kapro.api.v1alpha2;

/**
 * How a Cluster is reached: {@code Connected} (gRPC link, heartbeats; the hub marks it {@code
 * Connected=Unknown} after missed heartbeats) or {@code AirGapped} (no link is expected: bundles
 * travel by {@code kapro mirror}, evidence returns by import, and missing heartbeats mean nothing).
 */
public enum ClusterConnectivity {
  Connected,
  AirGapped
}
