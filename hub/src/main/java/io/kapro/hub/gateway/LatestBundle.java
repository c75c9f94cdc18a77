package io.kapro.hub.gateway;

/** The latest bundle published for a cluster (sequence and manifest digest). */
public record LatestBundle(long sequence, String digest) {}
