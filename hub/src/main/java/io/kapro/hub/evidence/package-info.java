/**
 * Evidence from agents into the Kubernetes API: {@link io.kapro.hub.evidence.KubeEvidenceSink} (the
 * gateway's sink) folds a batch into Target status ({@link io.kapro.hub.evidence.TargetEvidence})
 * and Cluster status ({@link io.kapro.hub.evidence.ClusterEvidence}); {@link
 * io.kapro.hub.evidence.EvidenceRules} says which Targets an item is about.
 */
package io.kapro.hub.evidence;
