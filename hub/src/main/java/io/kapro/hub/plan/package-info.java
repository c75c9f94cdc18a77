/**
 * The plan model the promotion engine reads: stages, selectors, waves, gates and failure policy,
 * and {@link io.kapro.hub.plan.PlanValidator}, which turns a raw {@link io.kapro.hub.plan.PlanSpec}
 * into a {@link io.kapro.hub.plan.CompiledPlan} or a list of problems naming their fields. Pure
 * Java: no Kubernetes client classes.
 */
package io.kapro.hub.plan;
