/**
 * Targets: the publisher port ({@link io.kapro.hub.target.TargetPublisher}) and the reconciler that
 * publishes eligible Targets, keeps the phase label current and records converged versions on the
 * Cluster.
 */
package io.kapro.hub.target;
