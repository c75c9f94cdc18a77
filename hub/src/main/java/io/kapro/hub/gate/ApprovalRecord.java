package io.kapro.hub.gate;

import io.kapro.api.v1alpha2.Decision;

/**
 * An Approval as the engine sees it. Scope: the whole run when {@code stage} and {@code cluster}
 * are null; one stage when only {@code stage} is set; one Target (stage × cluster) when both are.
 */
public record ApprovalRecord(
    String name, String stage, String cluster, Decision decision, String approver, String reason) {

  /** Whether this Approval speaks for the Target of {@code cluster} in {@code stage}. */
  public boolean appliesTo(String targetStage, String targetCluster) {
    if (stage != null && !stage.equals(targetStage)) {
      return false;
    }
    return cluster == null || cluster.equals(targetCluster);
  }

  String describe() {
    String who = approver == null || approver.isBlank() ? "unknown" : approver;
    String why = reason == null || reason.isBlank() ? "" : ": " + reason;
    return (decision == Decision.Approve ? "approved" : "rejected")
        + " by "
        + who
        + " (Approval "
        + name
        + ")"
        + why;
  }
}
