/**
 * Gates: what holds a wave until it may go (approval, soak, health, time window, webhook). {@link
 * io.kapro.hub.gate.GateEvaluator} is pure; the webhook call itself is made outside the engine
 * ({@code io.kapro.hub.webhook}).
 */
package io.kapro.hub.gate;
