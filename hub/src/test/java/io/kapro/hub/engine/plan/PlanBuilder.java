package io.kapro.hub.engine.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a Plan spec ({@link io.kapro.api.v1alpha2.PlanSpec}) for tests in one expression; {@link
 * #toApi()} gives the api object the engine reads. Null stages are kept so that tests can show how
 * they are reported.
 */
public record PlanBuilder(List<StageBuilder> stages, boolean allowOverlap) {
  public PlanBuilder {
    stages = Copies.list(stages);
  }

  public static PlanBuilder of(StageBuilder... stages) {
    return new PlanBuilder(List.of(stages), false);
  }

  public PlanBuilder withAllowOverlap(boolean allow) {
    return new PlanBuilder(stages, allow);
  }

  /** The Plan spec. */
  public io.kapro.api.v1alpha2.PlanSpec toApi() {
    var p = new io.kapro.api.v1alpha2.PlanSpec();
    List<io.kapro.api.v1alpha2.Stage> out = new ArrayList<>();
    stages.forEach(s -> out.add(s == null ? null : s.toApi()));
    p.setStages(out);
    p.setAllowOverlap(allowOverlap);
    return p;
  }
}
