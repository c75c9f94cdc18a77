package io.kapro.hub.engine;

/** The counts shown in the PromotionRun status, after this step's decisions. */
public record RunCounts(
    int targets, int pending, int inFlight, int converged, int failed, int skipped) {}
