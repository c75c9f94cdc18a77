package io.kapro.hub.run;

import io.kapro.hub.gate.ApprovalRecord;
import io.kapro.hub.gate.WebhookObservation;
import io.kapro.hub.plan.PlanSpec;
import java.time.Instant;
import java.util.List;

/**
 * Everything one engine step reads: the run's plan (its snapshot), the run, the fleet's clusters,
 * the run's Targets, the Approvals naming the run, webhook answers, other runs' claims on clusters,
 * and the time.
 */
public record EngineInput(
    PlanSpec plan,
    RunState run,
    List<ClusterState> clusters,
    List<TargetState> targets,
    List<ApprovalRecord> approvals,
    List<WebhookObservation> webhooks,
    List<ClusterClaim> claims,
    Instant now) {
  public EngineInput {
    clusters = clusters == null ? List.of() : List.copyOf(clusters);
    targets = targets == null ? List.of() : List.copyOf(targets);
    approvals = approvals == null ? List.of() : List.copyOf(approvals);
    webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    claims = claims == null ? List.of() : List.copyOf(claims);
  }
}
