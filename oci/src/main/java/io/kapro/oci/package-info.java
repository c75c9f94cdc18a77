/**
 * Kapro bundles: the payload model and its canonical JSON ({@code bundle}), cosign-compatible
 * signatures ({@code sign}), the verification policy ({@code verify}) and the registry and OCI
 * layout stores ({@code store}). Depends on no other Kapro module.
 */
package io.kapro.oci;
