package io.kapro.hub.engine;

/**
 * Another run holding a cluster for a unit (it has an unfinished Target there). A cluster is in at
 * most one active run per unit, so this run's Target for it waits.
 */
public record ClusterClaim(String cluster, String unit, String run) {}
