/**
 * The compiled plan the promotion engine reads: stages with defaults filled in and every string
 * parsed (waves, durations, maxUnavailable, gates). {@link io.kapro.hub.engine.plan.PlanCompiler}
 * builds it from the Plan's api spec after {@link io.kapro.api.validation.SpecValidator} (the one
 * set of plan rules, shared with the CLI) has accepted it. Pure Java: no Kubernetes client classes.
 */
package io.kapro.hub.engine.plan;
