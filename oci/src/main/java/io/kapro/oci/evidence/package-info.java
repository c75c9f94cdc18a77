/**
 * Evidence artifacts: what a disconnected agent writes to its cluster's evidence repository ({@code
 * <prefix>/<namespace>/<cluster>/evidence}) and what the hub imports. Signed like bundles (cosign,
 * tag {@code sha256-<hex>.sig}) by a key the hub CA certified for that cluster; the certificate
 * chain travels inside the artifact.
 */
package io.kapro.oci.evidence;
