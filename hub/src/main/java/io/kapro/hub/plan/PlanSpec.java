package io.kapro.hub.plan;

import java.util.List;

/**
 * A plan as the user wrote it (the Plan CRD's spec, mapped by the adapter). Values that the user
 * types as strings (durations, waves, percentages) stay strings here so that {@link PlanValidator}
 * can name the field of a bad one.
 */
public record PlanSpec(List<StageSpec> stages, boolean allowOverlap) {
  public PlanSpec {
    stages = Copies.list(stages);
  }

  public static PlanSpec of(StageSpec... stages) {
    return new PlanSpec(List.of(stages), false);
  }

  public PlanSpec withAllowOverlap(boolean allow) {
    return new PlanSpec(stages, allow);
  }
}
