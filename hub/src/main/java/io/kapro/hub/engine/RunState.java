package io.kapro.hub.engine;

import io.kapro.api.v1alpha2.RunPhase;
import java.time.Instant;
import java.util.List;

/**
 * The run: id, the units and versions it promotes, when it started, its recorded phase and stage
 * progress, whether a newer run of the same Promotion supersedes it, and what people asked of it
 * (pause, abort, rollback).
 */
public record RunState(
    String id,
    List<DesiredVersion> units,
    Instant startedAt,
    RunPhase phase,
    boolean superseded,
    List<StageProgress> stages,
    RunControl control) {
  public RunState {
    units =
        units == null
            ? List.of()
            : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(units));
    phase = phase == null ? RunPhase.Pending : phase;
    stages =
        stages == null ? List.of() : stages.stream().filter(java.util.Objects::nonNull).toList();
    control = control == null ? RunControl.NONE : control;
  }

  public RunState(
      String id,
      List<DesiredVersion> units,
      Instant startedAt,
      RunPhase phase,
      boolean superseded,
      List<StageProgress> stages) {
    this(id, units, startedAt, phase, superseded, stages, RunControl.NONE);
  }

  public static RunState start(String id, Instant startedAt, DesiredVersion... units) {
    return new RunState(id, List.of(units), startedAt, RunPhase.Pending, false, List.of());
  }

  /** This run with another control (a person paused, resumed or aborted it). */
  public RunState with(RunControl c) {
    return new RunState(id, units, startedAt, phase, superseded, stages, c);
  }

  /** This run in another phase. */
  public RunState in(RunPhase p) {
    return new RunState(id, units, startedAt, p, superseded, stages, control);
  }
}
