package io.kapro.hub.engine;

import io.kapro.api.v1alpha2.RunPhase;
import java.time.Instant;
import java.util.List;

/**
 * The run: id, the units and versions it promotes, when it started, its recorded phase and stage
 * progress, and whether a newer run of the same Promotion supersedes it.
 */
public record RunState(
    String id,
    List<DesiredVersion> units,
    Instant startedAt,
    RunPhase phase,
    boolean superseded,
    List<StageProgress> stages) {
  public RunState {
    units =
        units == null
            ? List.of()
            : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(units));
    phase = phase == null ? RunPhase.Pending : phase;
    stages =
        stages == null ? List.of() : stages.stream().filter(java.util.Objects::nonNull).toList();
  }

  public static RunState start(String id, Instant startedAt, DesiredVersion... units) {
    return new RunState(id, List.of(units), startedAt, RunPhase.Pending, false, List.of());
  }
}
