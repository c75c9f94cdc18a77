/**
 * The promotion engine: {@link io.kapro.hub.engine.RunEngine#decide} reads one run's whole state
 * (plan, clusters, Targets, Approvals, webhook answers, the time) and returns the next {@link
 * io.kapro.hub.engine.EngineDecision}s. Pure and deterministic; the reconcilers apply its
 * decisions.
 */
package io.kapro.hub.engine;
