package io.kapro.hub.engine;

/** A Target's identity inside a run: one cluster in one stage. */
public record TargetKey(String stage, String cluster) {}
