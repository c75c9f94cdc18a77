package io.kapro.hub.gate;

import java.time.Instant;

/**
 * What a gate needs to decide for one Target: the time, the Approval that speaks for the Target (a
 * rejection if any, otherwise an approval, otherwise null), the time soak counts from, the health
 * of the Targets before it, and the webhook answer for its wave (null if none yet).
 */
public record GateContext(
    Instant now,
    ApprovalRecord approval,
    Instant soakSince,
    HealthSnapshot health,
    java.util.function.Function<String, WebhookObservation> webhooks) {}
