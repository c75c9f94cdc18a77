/**
 * The Plan feature: {@link io.kapro.hub.plan.PlanReconciler} writes a Plan's {@code Ready}
 * condition from {@link io.kapro.api.validation.SpecValidator}, the same rules the engine's {@code
 * io.kapro.hub.engine.plan.PlanCompiler} runs before a run starts.
 */
package io.kapro.hub.plan;
