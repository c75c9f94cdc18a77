/**
 * Gates: what holds a wave until it may go (approval, soak, health, time window, webhook). {@link
 * io.kapro.hub.gate.GateEvaluator} is pure; {@link io.kapro.hub.gate.WebhookGateClient} is the one
 * piece that talks to the network.
 */
package io.kapro.hub.gate;
