package io.kapro.hub.approval;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Approval;
import io.kapro.api.v1alpha2.ApprovalStatus;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Decision;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.Target;
import io.kapro.hub.kube.StatusUpdate;
import io.kapro.hub.kube.Times;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Checks that an Approval names an existing run (and stage or Target of it) and records the outcome
 * in {@code Ready}: Approved/Rejected, or InvalidSpec with what to fix. The PromotionRun's engine
 * reads the decision itself.
 */
public final class ApprovalReconciler implements Reconciler<Approval> {
  private final Clock clock;
  private final Duration resync;

  public ApprovalReconciler(Clock clock, Duration resync) {
    this.clock = clock;
    this.resync = resync;
  }

  @Override
  public UpdateControl<Approval> reconcile(Approval approval, Context<Approval> ctx) {
    var spec = approval.getSpec();
    if (spec == null) {
      return UpdateControl.noUpdate();
    }
    String problem = problem(ctx.getClient(), approval);
    ApprovalStatus status = new ApprovalStatus();
    ApprovalStatus current = approval.getStatus();
    status.setAppliedAt(current == null ? null : current.getAppliedAt());
    status.setConditions(current == null ? null : current.getConditions());
    if (problem != null) {
      status.setConditions(
          Conditions.set(
              status.getConditions(),
              Conditions.of(
                  Kapro.ConditionTypes.READY,
                  ConditionStatus.False,
                  Kapro.Reasons.INVALID_SPEC,
                  problem,
                  approval.getMetadata().getGeneration()),
              clock.instant()));
    } else {
      boolean approve = spec.getDecision() == Decision.Approve;
      status.setConditions(
          Conditions.set(
              status.getConditions(),
              Conditions.of(
                  Kapro.ConditionTypes.READY,
                  ConditionStatus.True,
                  approve ? Kapro.Reasons.APPROVED : Kapro.Reasons.REJECTED,
                  (approve ? "approved" : "rejected") + " by " + spec.getApprover(),
                  approval.getMetadata().getGeneration()),
              clock.instant()));
      if (status.getAppliedAt() == null) {
        status.setAppliedAt(Times.format(clock.instant()));
      }
    }
    if (!Objects.equals(status, current)) {
      StatusUpdate.update(
          ctx.getClient(),
          Approval.class,
          approval.getMetadata().getNamespace(),
          approval.getMetadata().getName(),
          cur -> {
            if (Objects.equals(cur.getStatus(), status)) {
              return false;
            }
            cur.setStatus(status);
            return true;
          });
    }
    // A run or Target named before it exists is checked again later.
    return problem == null
        ? UpdateControl.noUpdate()
        : UpdateControl.<Approval>noUpdate().rescheduleAfter(resync);
  }

  private static String problem(KubernetesClient client, Approval approval) {
    var spec = approval.getSpec();
    String ns = approval.getMetadata().getNamespace();
    if (spec.getRun() == null || spec.getRun().isBlank()) {
      return "spec.run: required; name the PromotionRun (kubectl get promotionruns)";
    }
    if (spec.getDecision() == null) {
      return "spec.decision: required, Approve or Reject";
    }
    if (spec.getApprover() == null || spec.getApprover().isBlank()) {
      return "spec.approver: required; say who decides";
    }
    PromotionRun run =
        client.resources(PromotionRun.class).inNamespace(ns).withName(spec.getRun()).get();
    if (run == null) {
      return "spec.run: PromotionRun " + spec.getRun() + " does not exist";
    }
    if (spec.getStage() != null
        && run.getSpec() != null
        && run.getSpec().getPlanSnapshot() != null
        && run.getSpec().getPlanSnapshot().getStages() != null
        && run.getSpec().getPlanSnapshot().getStages().stream()
            .noneMatch(s -> s != null && spec.getStage().equals(s.getName()))) {
      return "spec.stage: the run's plan has no stage " + spec.getStage();
    }
    if (spec.getTarget() != null) {
      Target t = client.resources(Target.class).inNamespace(ns).withName(spec.getTarget()).get();
      if (t == null || t.getSpec() == null || !spec.getRun().equals(t.getSpec().getRun())) {
        return "spec.target: the run has no Target " + spec.getTarget();
      }
    }
    return null;
  }
}
