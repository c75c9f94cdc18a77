package io.kapro.hub.target;

import java.time.Instant;

/** The bundle issued for a Target: sequence (strictly increasing per cluster), digest, times. */
public record PublishedBundle(
    long sequence, String digest, Instant publishedAt, Instant expiresAt) {}
