/**
 * Mirror transfer for air gaps: carries clusters' bundle repositories (and evidence repositories)
 * with their signatures between registries and OCI layouts, verified at the source, incremental by
 * digest, in an order that keeps every moving tag on a signed, complete manifest. Entry point:
 * {@link io.kapro.oci.mirror.Mirror}; see {@code docs/air-gap.md}.
 */
package io.kapro.oci.mirror;
