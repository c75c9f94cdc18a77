/**
 * The hub CA (ECDSA P-256): created once and shared by every replica through a {@link
 * io.kapro.hub.ca.CaStore}; issues agent client certificates (URI SAN {@code
 * spiffe://kapro/ns/<namespace>/cluster/<name>}, client-auth EKU, 30 days by default) and the
 * gateway's server certificates; single-use bootstrap tokens stored only as SHA-256 hashes.
 */
package io.kapro.hub.ca;
