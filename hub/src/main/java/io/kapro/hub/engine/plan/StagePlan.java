package io.kapro.hub.engine.plan;

import io.kapro.api.v1alpha2.LabelSelector;
import io.kapro.api.v1alpha2.OnFailure;
import io.kapro.api.v1alpha2.Unlock;
import io.kapro.api.v1alpha2.Unreachable;
import io.kapro.hub.gate.GateCheck;
import java.time.Duration;
import java.util.List;

/** A validated stage with defaults filled in and every string parsed. */
public record StagePlan(
    int index,
    String name,
    LabelSelector selector,
    List<String> dependsOn,
    Unlock unlock,
    Duration requiredSoakTime,
    List<WaveStep> waves,
    int maxParallel,
    MaxUnavailable maxUnavailable,
    List<GateCheck> gates,
    OnFailure onFailure,
    Duration timeout,
    Unreachable unreachable,
    Duration maxWait) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofHours(1);

  public StagePlan {
    dependsOn = List.copyOf(dependsOn);
    waves = List.copyOf(waves);
    gates = List.copyOf(gates);
  }

  /** The field path of this stage in the plan, e.g. {@code spec.stages[2]}. */
  public String field() {
    return "spec.stages[" + index + "]";
  }
}
