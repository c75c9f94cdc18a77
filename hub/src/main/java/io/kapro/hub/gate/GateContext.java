package io.kapro.hub.gate;

import java.time.Instant;
import java.util.function.Function;

/**
 * What a gate needs to decide for one Target: the time, the Approval that speaks for the Target (a
 * rejection if any, otherwise an approval, otherwise null), the time soak counts from, the health
 * of the Targets before it, the webhook answer for its wave (null if none yet) and a metrics gate's
 * measurements for the Target (null if none yet).
 */
public record GateContext(
    Instant now,
    ApprovalRecord approval,
    Instant soakSince,
    HealthSnapshot health,
    Function<String, WebhookObservation> webhooks,
    Function<String, MetricsObservation> metrics) {

  public GateContext(
      Instant now,
      ApprovalRecord approval,
      Instant soakSince,
      HealthSnapshot health,
      Function<String, WebhookObservation> webhooks) {
    this(now, approval, soakSince, health, webhooks, name -> null);
  }
}
