package io.kapro.oci.verify;

import io.kapro.oci.bundle.BundlePayload;

/**
 * A bundle that passed every check of {@link BundleVerifier}.
 *
 * @param repository where it was read from
 * @param digest the bundle manifest digest
 * @param payload the verified payload
 * @param keyId the id of the trusted key whose signature verified
 * @param layer the exact payload bytes (canonical JSON)
 */
public record VerifiedBundle(
    String repository, String digest, BundlePayload payload, String keyId, byte[] layer) {}
