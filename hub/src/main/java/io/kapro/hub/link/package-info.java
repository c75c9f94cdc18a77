/**
 * The gateway's interfaces on the Kubernetes API: {@link io.kapro.hub.link.KubeClusterDirectory}
 * (Cluster and Fleet informers; nudges on new bundles), {@link io.kapro.hub.link.KubeEvidenceSink}
 * (evidence into Target and Cluster status) and {@link io.kapro.hub.link.ConnectivityStatusWriter}
 * (the Connected condition).
 */
package io.kapro.hub.link;
