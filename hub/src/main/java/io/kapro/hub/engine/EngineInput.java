package io.kapro.hub.engine;

import io.kapro.api.v1alpha2.PlanSpec;
import io.kapro.hub.gate.ApprovalRecord;
import io.kapro.hub.gate.MetricsObservation;
import io.kapro.hub.gate.WebhookObservation;
import java.time.Instant;
import java.util.List;

/**
 * Everything one engine step reads: the run's plan (its snapshot), the run, the fleet's clusters,
 * the run's Targets, the Approvals naming the run, webhook answers, other runs' claims on clusters,
 * the time, and the metrics gates' measurements per Target.
 */
public record EngineInput(
    PlanSpec plan,
    RunState run,
    List<ClusterState> clusters,
    List<TargetState> targets,
    List<ApprovalRecord> approvals,
    List<WebhookObservation> webhooks,
    List<ClusterClaim> claims,
    Instant now,
    List<MetricsObservation> metrics) {
  public EngineInput(
      PlanSpec plan,
      RunState run,
      List<ClusterState> clusters,
      List<TargetState> targets,
      List<ApprovalRecord> approvals,
      List<WebhookObservation> webhooks,
      List<ClusterClaim> claims,
      Instant now) {
    this(plan, run, clusters, targets, approvals, webhooks, claims, now, List.of());
  }

  public EngineInput {
    metrics = present(metrics);
    clusters = present(clusters);
    targets = present(targets);
    approvals = present(approvals);
    webhooks = present(webhooks);
    claims = present(claims);
  }

  /** Null lists and null elements (nothing a reconciler should hand over) are dropped. */
  private static <T> List<T> present(List<T> list) {
    return list == null ? List.of() : list.stream().filter(java.util.Objects::nonNull).toList();
  }
}
