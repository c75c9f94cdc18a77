package io.kapro.hub.plan;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.api.v1alpha2.PlanStatus;
import io.kapro.api.validation.SpecValidator;
import io.kapro.api.validation.Violation;
import io.kapro.hub.kube.StatusUpdate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * What {@code kubectl get plans} shows: {@code Ready=True} when the Plan validates, else {@code
 * Ready=False, reason=InvalidSpec} with each problem and its field — the validation the hub runs
 * before it plans a run, so a Plan that is Ready is one the hub accepts.
 */
public final class PlanReconciler implements Reconciler<Plan> {
  private final Clock clock;

  public PlanReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public UpdateControl<Plan> reconcile(Plan plan, Context<Plan> ctx) {
    Condition ready = ready(plan);
    PlanStatus s = plan.getStatus();
    if (s != null
        && Objects.equals(s.getObservedGeneration(), plan.getMetadata().getGeneration())
        && Conditions.set(s.getConditions(), ready, clock.instant()).equals(s.getConditions())) {
      return UpdateControl.noUpdate();
    }
    StatusUpdate.update(
        ctx.getClient(),
        Plan.class,
        plan.getMetadata().getNamespace(),
        plan.getMetadata().getName(),
        cur -> {
          PlanStatus st = cur.getStatus() == null ? new PlanStatus() : cur.getStatus();
          st.setConditions(Conditions.set(st.getConditions(), ready, clock.instant()));
          st.setObservedGeneration(cur.getMetadata().getGeneration());
          cur.setStatus(st);
          return true;
        });
    return UpdateControl.noUpdate();
  }

  static Condition ready(Plan plan) {
    List<Violation> violations = SpecValidator.validate(plan);
    return violations.isEmpty()
        ? Conditions.of(
            Kapro.ConditionTypes.READY,
            ConditionStatus.True,
            Kapro.Reasons.RECONCILED,
            "valid: "
                + plan.getSpec().getStages().size()
                + (plan.getSpec().getStages().size() == 1 ? " stage" : " stages"),
            plan.getMetadata().getGeneration())
        : Conditions.of(
            Kapro.ConditionTypes.READY,
            ConditionStatus.False,
            Kapro.Reasons.INVALID_SPEC,
            SpecValidator.describe(violations),
            plan.getMetadata().getGeneration());
  }
}
