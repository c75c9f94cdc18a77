package io.kapro.hub.engine;

import io.kapro.api.v1alpha2.Decision;
import io.kapro.api.v1alpha2.PlanSpec;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.engine.plan.CompiledPlan;
import io.kapro.hub.engine.plan.PlanCompiler;
import io.kapro.hub.engine.plan.PlanValidation;
import io.kapro.hub.engine.plan.StagePlan;
import io.kapro.hub.gate.ApprovalRecord;
import io.kapro.hub.gate.GateCheck;
import io.kapro.hub.gate.WebhookObservation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The plan the engine would follow for a fleet now ({@code kapro promote --dry-run}). Not a second
 * planner: it runs {@link RunEngine#decide} against a simulated fleet in which every gate passes,
 * every reachable cluster converges at once and an unreachable one never does, so the stages,
 * waves, skips and failures it reports are the engine's own decisions for these clusters.
 */
public final class RunPreview {
  /** What the run would do with one cluster of a stage. */
  public enum Action {
    /** Publish its bundle and wait for its evidence. */
    Publish,
    /** Unreachable (unreachable: Wait): publish and wait for it up to maxWait, then go on. */
    WaitFor,
    /** Unreachable (unreachable: Skip): not published, Skipped. */
    Skip,
    /** Unreachable (unreachable: Fail): not published, Failed. */
    Fail
  }

  /** One cluster in a wave: each unit's version now and the one it would get. */
  public record ClusterStep(
      String cluster, Map<String, String> from, Map<String, String> to, Action action, String why) {
    public ClusterStep {
      from = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(from));
      to = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(to));
    }
  }

  /** One wave (1-based) of a stage: the gates that apply to it and its clusters. */
  public record Wave(int wave, List<String> gates, List<ClusterStep> clusters) {
    public Wave {
      gates = List.copyOf(gates);
      clusters = List.copyOf(clusters);
    }
  }

  /** One stage, in dependency order. */
  public record Stage(
      String name,
      List<String> dependsOn,
      String unreachable,
      Duration maxWait,
      String maxUnavailable,
      List<Wave> waves) {
    public Stage {
      dependsOn = List.copyOf(dependsOn);
      waves = List.copyOf(waves);
    }
  }

  /** The preview: stages, or the problems that would make the hub refuse the run. */
  public record Plan(List<Stage> stages, List<String> problems, RunPhase outcome) {
    public Plan {
      stages = List.copyOf(stages);
      problems = List.copyOf(problems);
    }
  }

  private record Seen(int wave, Action action, String why) {}

  private RunPreview() {}

  public static Plan of(
      PlanSpec spec, List<ClusterState> clusters, List<DesiredVersion> units, Instant now) {
    PlanValidation v = PlanCompiler.compile(spec);
    if (v instanceof PlanValidation.Invalid invalid) {
      return new Plan(
          List.of(), invalid.violations().stream().map(Object::toString).toList(), RunPhase.Failed);
    }
    CompiledPlan plan = ((PlanValidation.Valid) v).plan();
    Map<String, ClusterState> byName = new TreeMap<>();
    clusters.forEach(c -> byName.put(c.name(), c));
    Map<TargetKey, TargetState> targets = new LinkedHashMap<>();
    Map<TargetKey, Seen> seen = new LinkedHashMap<>();
    Map<String, StageProgress> stages = new LinkedHashMap<>();
    List<WebhookObservation> webhooks = new ArrayList<>();
    List<io.kapro.hub.gate.MetricsObservation> metrics = new ArrayList<>();
    List<ApprovalRecord> approvals = new ArrayList<>();
    for (StagePlan s : plan.stages()) {
      approvals.add(
          new ApprovalRecord("preview", s.name(), null, Decision.Approve, "preview", "preview"));
    }
    RunState run = RunState.start("preview", now, units.toArray(DesiredVersion[]::new));
    Instant at = now;
    List<String> problems = new ArrayList<>();
    int limit = 64 + 16 * (clusters.size() + 1) * (plan.stages().size() + 1);
    for (int i = 0; i < limit && !run.phase().terminal(); i++) {
      EngineResult r =
          RunEngine.decide(
              new EngineInput(
                  spec,
                  new RunState(
                      run.id(),
                      run.units(),
                      run.startedAt(),
                      run.phase(),
                      false,
                      List.copyOf(stages.values())),
                  List.copyOf(byName.values()),
                  List.copyOf(targets.values()),
                  approvals,
                  webhooks,
                  List.of(),
                  at,
                  metrics));
      boolean changed = false;
      for (EngineDecision d : r.decisions()) {
        changed = true;
        switch (d) {
          case EngineDecision.RejectSpec rs ->
              rs.problems().forEach(p -> problems.add(p.toString()));
          case EngineDecision.StageTransition st -> stages.put(st.to().name(), st.to());
          case EngineDecision.RunTransition rt -> run = run.in(rt.to());
          case EngineDecision.CallWebhook c ->
              webhooks.add(
                  new WebhookObservation(
                      c.request().stage(),
                      c.request().wave(),
                      c.gate().name(),
                      true,
                      "preview",
                      at));
          // a preview assumes a metrics gate holds, as it assumes webhooks pass
          case EngineDecision.MeasureMetrics m ->
              metrics.add(
                  new io.kapro.hub.gate.MetricsObservation(
                      m.stage(),
                      m.cluster(),
                      m.gate().name(),
                      m.gate().consecutiveSuccesses(),
                      m.gate().consecutiveSuccesses(),
                      0,
                      at,
                      "preview"));
          case EngineDecision.CreateTarget c -> {
            targets.put(c.key(), TargetState.pending(c.stage(), c.cluster(), c.wave(), at));
            seen.put(c.key(), new Seen(c.wave(), Action.Publish, null));
          }
          case EngineDecision.HoldTarget h -> set(targets, h.key(), TargetPhase.Waiting, at, null);
          case EngineDecision.MarkEligible m -> {
            ClusterState c = byName.get(m.cluster());
            boolean reachable = c != null && c.reachable();
            // published now; a reachable cluster converges at once, an unreachable one never
            set(
                targets,
                m.key(),
                reachable ? TargetPhase.Converged : TargetPhase.Published,
                at,
                at);
            if (!reachable) {
              mark(seen, m.key(), Action.WaitFor, c == null ? "gone" : c.unreachableWhy());
            }
          }
          case EngineDecision.FailTarget f -> {
            set(targets, f.key(), TargetPhase.Failed, at, null);
            if ("Unreachable".equals(f.reason())) {
              mark(seen, f.key(), Action.Fail, f.message());
            }
          }
          case EngineDecision.SkipTarget s -> {
            set(targets, s.key(), TargetPhase.Skipped, at, null);
            if (s.message() != null && s.message().startsWith("Unreachable")) {
              mark(seen, s.key(), Action.Skip, s.message());
            }
          }
          case EngineDecision.CancelTarget c ->
              set(targets, c.key(), TargetPhase.Cancelled, at, null);
          case EngineDecision.SupersedeTarget s ->
              set(targets, s.key(), TargetPhase.Superseded, at, null);
          case EngineDecision.RollbackTarget rb ->
              set(targets, rb.key(), TargetPhase.Converged, at, at);
        }
      }
      if (!changed) {
        if (r.wakeAt() == null) {
          break;
        }
        at = r.wakeAt(); // a soak, a time window or maxWait: let the time pass
      }
    }
    return new Plan(stages(plan, byName, seen, units), problems, run.phase());
  }

  private static List<Stage> stages(
      CompiledPlan plan,
      Map<String, ClusterState> clusters,
      Map<TargetKey, Seen> seen,
      List<DesiredVersion> units) {
    List<Stage> out = new ArrayList<>();
    for (StagePlan s : plan.topologicalOrder()) {
      Map<Integer, List<ClusterStep>> waves = new TreeMap<>();
      seen.forEach(
          (k, w) -> {
            if (!k.stage().equals(s.name())) {
              return;
            }
            ClusterState c = clusters.get(k.cluster());
            Map<String, String> from = new LinkedHashMap<>();
            Map<String, String> to = new LinkedHashMap<>();
            for (DesiredVersion u : units) {
              from.put(u.name(), c == null ? null : c.versions().get(u.name()));
              to.put(u.name(), u.version());
            }
            waves
                .computeIfAbsent(w.wave(), x -> new ArrayList<>())
                .add(new ClusterStep(k.cluster(), from, to, w.action(), w.why()));
          });
      List<Wave> list = new ArrayList<>();
      waves.forEach(
          (n, cs) -> {
            cs.sort(java.util.Comparator.comparing(ClusterStep::cluster));
            List<String> gates = new ArrayList<>();
            for (GateCheck g : s.gates()) {
              if (g.appliesToWave(n)) {
                gates.add(g.type() + " " + g.name());
              }
            }
            list.add(new Wave(n, gates, cs));
          });
      out.add(
          new Stage(
              s.name(),
              s.dependsOn(),
              s.unreachable().name(),
              s.maxWait(),
              s.maxUnavailable().toString(),
              list));
    }
    return out;
  }

  private static void mark(Map<TargetKey, Seen> seen, TargetKey key, Action a, String why) {
    Seen s = seen.get(key);
    if (s != null) {
      seen.put(key, new Seen(s.wave(), a, why));
    }
  }

  private static void set(
      Map<TargetKey, TargetState> targets,
      TargetKey key,
      TargetPhase phase,
      Instant at,
      Instant publishedAt) {
    TargetState t = targets.get(key);
    if (t == null) {
      return;
    }
    targets.put(
        key,
        new TargetState(
            t.stage(),
            t.cluster(),
            t.wave(),
            phase,
            at,
            publishedAt == null ? t.publishedAt() : publishedAt,
            t.rollback(),
            t.gates(),
            t.message()));
  }
}
