package io.kapro.hub.gate;

import java.time.Instant;

/**
 * A webhook gate's answer for one wave of one stage, fetched by the adapter ({@code
 * io.kapro.hub.webhook.WebhookGateClient}) and handed back to the engine.
 */
public record WebhookObservation(
    String stage, int wave, String gate, boolean pass, String message, Instant observedAt) {}
