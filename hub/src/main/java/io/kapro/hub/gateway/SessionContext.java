package io.kapro.hub.gateway;

import io.kapro.hub.cluster.connectivity.ConnectivityTracker;

/** What every {@link AgentSession} shares on one replica. */
record SessionContext(
    ClusterDirectory directory,
    VersionRange versions,
    EvidenceCoalescer coalescer,
    SessionRegistry registry,
    ConnectivityTracker connectivity,
    InventorySink inventory) {}
