/**
 * Drift: after a bundle is applied the agent keeps watching the objects it manages ({@link
 * io.kapro.agent.drift.ObjectWatch}); {@link io.kapro.agent.drift.DriftCheck} finds managed fields
 * that no longer hold the bundle's value, {@link io.kapro.agent.drift.DriftGuard} applies the
 * Fleet's drift policy ({@code report} or {@code reapply}, rate-limited) and names the owner that
 * keeps reverting a field ({@link io.kapro.agent.drift.Owners}).
 */
package io.kapro.agent.drift;
