package io.kapro.hub.run;

/** A Target's identity inside a run: one cluster in one stage. */
public record TargetKey(String stage, String cluster) {}
