/**
 * Artifact discovery: a {@link io.kapro.api.v1alpha2.Source} names an OCI repository, a Helm chart
 * repository or a Git repository whose versions become the versions of one fleet unit. {@link
 * io.kapro.hub.source.SourceListing} lists whichever it is under bounds ({@link
 * io.kapro.hub.source.HelmIndex} reads an {@code index.yaml} safely, {@link
 * io.kapro.hub.source.GitRefs} lists refs without cloning); {@link io.kapro.hub.source.TagPolicy}
 * (pure) filters and orders versions the way Flux's image policies do; {@link
 * io.kapro.hub.source.SourceHistory} (pure) keeps the bounded, newest-first record; {@link
 * io.kapro.hub.source.SourceReconciler} checks on the interval or when asked, and promotes by the
 * Fleet's policy.
 */
package io.kapro.hub.source;
