/**
 * Applying a bundle to the local Flux and Argo CD objects ({@link
 * io.kapro.agent.apply.BundleApplier}, all or nothing, limited to the allow-list) and judging
 * convergence ({@link io.kapro.agent.apply.ConvergenceJudge}, with the pure judges in {@code
 * apply.flux} and {@code apply.argocd}).
 */
package io.kapro.agent.apply;
