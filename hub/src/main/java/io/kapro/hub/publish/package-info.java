/**
 * The publisher: a Target's cluster bundle (every unit's desired state) → sequence reserved in
 * Cluster status → signed with the Fleet's key → pushed to the Fleet's registry or layout →
 * recorded on the Target and Cluster. {@link io.kapro.hub.publish.FleetPublisher} implements the
 * reconcilers' {@link io.kapro.hub.target.TargetPublisher}; {@link io.kapro.hub.publish.Reissuer}
 * keeps bundles from expiring.
 */
package io.kapro.hub.publish;
