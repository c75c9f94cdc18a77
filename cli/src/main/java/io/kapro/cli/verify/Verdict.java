package io.kapro.cli.verify;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The outcome of {@code kapro verify} (also its JSON shape).
 *
 * @param location the store
 * @param repository repository
 * @param reference tag or digest given
 * @param digest the manifest digest verified, when it resolved
 * @param verdict ACCEPTED or REJECTED
 * @param reason the rejection reason (an {@code OciException.Reason} name), null when accepted
 * @param message what was checked, or why it was rejected
 * @param keyId the trusted key that signed it, when accepted
 * @param payload the payload (verified when accepted; as found, unverified, when rejected)
 */
public record Verdict(
    String location,
    String repository,
    String reference,
    String digest,
    String verdict,
    String reason,
    String message,
    String keyId,
    JsonNode payload) {}
