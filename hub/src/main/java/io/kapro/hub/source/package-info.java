/**
 * Artifact discovery: a {@link io.kapro.api.v1alpha2.Source} names an OCI repository whose tags
 * become the versions of one fleet unit. {@link io.kapro.hub.source.TagPolicy} (pure) filters and
 * orders tags the way Flux's image policies do; {@link io.kapro.hub.source.SourceHistory} (pure)
 * keeps the bounded, newest-first record; {@link io.kapro.hub.source.SourceReconciler} checks on
 * the interval or when asked, and promotes by the Fleet's policy.
 */
package io.kapro.hub.source;
