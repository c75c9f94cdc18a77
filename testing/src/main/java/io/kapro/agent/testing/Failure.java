package io.kapro.agent.testing;

/**
 * How a fake controller fails an object's next reconciles until cleared.
 *
 * @param terminal Flux: {@code Stalled=True} (the agent judges Failed); Argo CD: the sync operation
 *     ends {@code Failed}. Otherwise Flux {@code Ready=False} and Argo CD health {@code Degraded}
 *     (judged Degraded).
 * @param reason the controller's reason, e.g. {@code InstallFailed}
 * @param message the controller's message
 */
public record Failure(boolean terminal, String reason, String message) {}
