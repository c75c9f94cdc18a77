package io.kapro.hub.engine;

import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.Unlock;
import io.kapro.hub.engine.plan.StagePlan;
import io.kapro.hub.engine.plan.Waves;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Moves one stage forward by one step: unlock (dependencies, required soak), failure detection
 * (timeouts, maxUnavailable, rollbacks), gates and slots for the unstarted Targets, and opening the
 * next wave once the current one has finished.
 */
final class StageStepper {
  private final Step step;
  private final StagePlan stage;
  private StageProgress p;

  StageStepper(Step step, StagePlan stage) {
    this.step = step;
    this.stage = stage;
    this.p = step.progress(stage.name());
  }

  /** Returns a failure message if the stage failed in this step, else null. */
  String advance() {
    Instant unlocked = unlockTime();
    if (unlocked == null) {
      set(StagePhase.Pending, p.currentWave(), null, "waiting for " + stage.dependsOn());
      return null;
    }
    List<String> members = step.membership.clusters(stage.name());
    List<TargetState> ts = step.targets(stage.name());
    if (members.isEmpty() && ts.isEmpty()) {
      set(StagePhase.Succeeded, 0, unlocked, "no clusters matched the selector");
      return null;
    }
    String failure = detectFailure(members, ts);
    if (failure != null) {
      return failure;
    }
    WaveGates.Outcome gates = new WaveGates(step, stage, ts, unlocked).evaluate();
    if (gates.failure() != null) {
      return gates.failure();
    }
    return openWaves(members, ts, gates);
  }

  private String openWaves(List<String> members, List<TargetState> ts, WaveGates.Outcome gates) {
    int current = 0;
    boolean unfinished = false;
    Set<String> covered = new HashSet<>();
    Instant lastChange = null;
    for (TargetState t : ts) {
      current = Math.max(current, t.wave());
      unfinished |= step.phase(t).unfinished() && !step.waitedOut.contains(t.key());
      covered.add(t.cluster());
      boolean changed = step.phase(t) != t.phase();
      Instant since = changed || t.since() == null ? step.now : t.since();
      lastChange = lastChange == null || since.isAfter(lastChange) ? since : lastChange;
    }
    if (unfinished) {
      StagePhase phase =
          gates.heldByGate() && !gates.inFlight() ? StagePhase.Waiting : StagePhase.Running;
      set(phase, current, null, gates.heldByGate() ? gates.message() : null);
      return null;
    }
    List<Integer> cumulative = Waves.cumulative(stage.waves(), members.size());
    if (step.paused() && !covered.containsAll(members)) {
      set(
          ts.isEmpty() ? StagePhase.Pending : StagePhase.Running,
          current,
          null,
          "run paused; no wave opens until it is resumed");
      return null;
    }
    int wave = current;
    while (wave < cumulative.size()) {
      wave++;
      int created = create(members.subList(0, cumulative.get(wave - 1)), covered, wave);
      if (created > 0) {
        step.audit(
            "WaveOpened",
            stage.name() + ": wave " + wave + " opened with " + created + " cluster(s)");
        set(StagePhase.Running, wave, null, null);
        return null;
      }
    }
    // Every wave is out; clusters that joined the selector since then go in the last wave.
    int late = create(members, covered, Math.max(1, cumulative.size()));
    if (late > 0) {
      set(StagePhase.Running, Math.max(1, cumulative.size()), null, null);
      return null;
    }
    // Converged: the stage's Targets must now stay healthy for requiredSoakTime (failures
    // still count) before the stage succeeds and its dependants may start.
    Instant soaked = lastChange.plus(stage.requiredSoakTime());
    if (step.now.isBefore(soaked)) {
      step.wake(soaked);
      set(StagePhase.Soaking, current, lastChange, "converged; soaking until " + soaked);
      return null;
    }
    set(StagePhase.Succeeded, current, lastChange, null);
    return null;
  }

  private int create(List<String> due, Set<String> covered, int wave) {
    int n = 0;
    for (String cluster : due) {
      if (covered.add(cluster)) {
        var d = new EngineDecision.CreateTarget(stage.name(), cluster, wave, step.in.run().units());
        step.created.add(d);
        step.decide(d, TargetPhase.Pending);
        n++;
      }
    }
    return n;
  }

  private String detectFailure(List<String> members, List<TargetState> ts) {
    int unavailable = 0;
    TargetState firstUnavailable = null;
    boolean rollback = false;
    for (TargetState t : ts) {
      rollback |= t.rollback();
      if (t.rollback()) {
        continue;
      }
      TargetPhase phase = step.phase(t);
      if (phase.inFlight() && t.publishedAt() != null && unreachableInFlight(t)) {
        phase = step.phase(t);
      } else if (phase.inFlight() && t.publishedAt() != null) {
        Instant deadline = timeoutFrom(t).plus(stage.timeout());
        if (!step.now.isBefore(deadline)) {
          ClusterState c = step.clusters.get(t.cluster());
          String why =
              c == null
                  ? "; the cluster is gone"
                  : c.connectivity() == Reachability.Connected
                      ? ""
                      : "; cluster Connected=" + c.connectivity();
          step.decide(
              new EngineDecision.FailTarget(
                  stage.name(),
                  t.cluster(),
                  "TimedOut",
                  "not Converged within " + stage.timeout() + " of publication" + why),
              TargetPhase.Failed);
          step.audit("TargetTimedOut", stage.name() + "/" + t.cluster() + " timed out" + why);
          phase = TargetPhase.Failed;
        } else {
          step.wake(deadline);
        }
      }
      if (phase.unavailable() || step.waitedOut.contains(t.key())) {
        unavailable++;
        firstUnavailable = firstUnavailable == null ? t : firstUnavailable;
      }
    }
    if (rollback) {
      return "rolling back";
    }
    int allowed = stage.maxUnavailable().allowed(Math.max(members.size(), ts.size()));
    if (unavailable > allowed) {
      return unavailable
          + " Target(s) Degraded, Failed or unreachable past maxWait, more than maxUnavailable "
          + stage.maxUnavailable()
          + " ("
          + allowed
          + "); first: cluster "
          + firstUnavailable.cluster()
          + (firstUnavailable.message() == null
                  || step.phase(firstUnavailable) != firstUnavailable.phase()
              ? ""
              : ": " + firstUnavailable.message());
    }
    return null;
  }

  /**
   * A published Target whose cluster the hub cannot reach now, under the stage's {@code
   * unreachable} policy. Wait: no timeout while unreachable; past {@code maxWait} after publication
   * the wave stops waiting for it (it still converges when its evidence arrives). Skip: past {@code
   * maxWait} it is Skipped. Fail: the stage timeout applies as to any Target (returns false).
   * Returns true if the policy handled the Target.
   */
  private boolean unreachableInFlight(TargetState t) {
    String why = step.unreachable(t.cluster());
    if (why == null || stage.unreachable() == io.kapro.api.v1alpha2.Unreachable.Fail) {
      return false;
    }
    Instant until = t.publishedAt().plus(stage.maxWait());
    if (step.now.isBefore(until)) {
      step.wake(until);
      step.awaitingUnreachable.add(stage.name() + "/" + t.cluster() + " (" + why + ")");
      return true;
    }
    if (stage.unreachable() == io.kapro.api.v1alpha2.Unreachable.Skip) {
      step.decide(
          new EngineDecision.SkipTarget(
              stage.name(),
              t.cluster(),
              "Unreachable: "
                  + why
                  + "; not Converged within maxWait "
                  + stage.maxWait()
                  + " of publication (unreachable: Skip; the bundle stays published)"),
          TargetPhase.Skipped);
      step.audit("TargetSkipped", stage.name() + "/" + t.cluster() + ": " + why);
    } else {
      step.waitedOut.add(t.key());
    }
    return true;
  }

  /**
   * The stage timeout counts from publication, or (unreachable: Wait/Skip) from when the cluster
   * became reachable again, if later: a cluster back after days gets the whole timeout.
   */
  private Instant timeoutFrom(TargetState t) {
    ClusterState c = step.cluster(t.cluster());
    if (stage.unreachable() == io.kapro.api.v1alpha2.Unreachable.Fail
        || c == null
        || c.reachableSince() == null
        || !c.reachableSince().isAfter(t.publishedAt())) {
      return t.publishedAt();
    }
    return c.reachableSince();
  }

  /** When the stage's dependencies let it start, or null while they don't. */
  Instant unlockTime() {
    if (stage.dependsOn().isEmpty()) {
      return runStart();
    }
    Instant earliest = null;
    Instant latest = null;
    int done = 0;
    for (String dep : stage.dependsOn()) {
      StageProgress d = step.progress(dep);
      if (d.phase().unlocksDownstream()) {
        done++;
        Instant at = d.convergedAt() == null ? runStart() : d.convergedAt();
        if (d.phase() == StagePhase.Succeeded) {
          at = at.plus(step.plan.stage(dep).requiredSoakTime());
        }
        earliest = earliest == null || at.isBefore(earliest) ? at : earliest;
        latest = latest == null || at.isAfter(latest) ? at : latest;
      }
    }
    if (stage.unlock() == Unlock.Any) {
      return earliest;
    }
    return done == stage.dependsOn().size() ? latest : null;
  }

  private Instant runStart() {
    return step.in.run().startedAt() == null ? step.now : step.in.run().startedAt();
  }

  private void set(StagePhase phase, int wave, Instant convergedAt, String message) {
    Instant started = p.startedAt();
    if (started == null && phase != StagePhase.Pending) {
      started = step.now;
    }
    p = new StageProgress(stage.name(), phase, wave, started, convergedAt, message);
    step.latch(p);
  }
}
