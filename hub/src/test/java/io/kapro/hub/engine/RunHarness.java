package io.kapro.hub.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.Decision;
import io.kapro.api.v1alpha2.PlanSpec;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.validation.Violation;
import io.kapro.hub.engine.plan.PlanBuilder;
import io.kapro.hub.gate.ApprovalRecord;
import io.kapro.hub.gate.WebhookObservation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * An in-memory stand-in for the API server around the engine: applies decisions the way the
 * reconcilers will, with a fake publisher and a fake agent that move Targets along. Refuses a
 * second Target for a cluster × stage, so every test checks that invariant.
 */
final class RunHarness {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z"); // a Monday

  final PlanSpec plan;
  final Map<String, ClusterState> clusters = new TreeMap<>();
  final Map<TargetKey, TargetState> targets = new LinkedHashMap<>();
  final Map<TargetKey, List<DesiredVersion>> targetUnits = new HashMap<>();
  final List<ApprovalRecord> approvals = new ArrayList<>();
  final List<WebhookObservation> webhooks = new ArrayList<>();
  final List<ClusterClaim> claims = new ArrayList<>();
  final List<EngineDecision.CallWebhook> webhookCalls = new ArrayList<>();
  final List<io.kapro.hub.gate.MetricsObservation> metrics = new ArrayList<>();
  final List<EngineDecision.MeasureMetrics> measurements = new ArrayList<>();
  final List<AuditRecord> audit = new ArrayList<>();
  final Map<String, StageProgress> stages = new LinkedHashMap<>();
  List<Violation> rejected = List.of();
  RunState run;
  Instant now = T0;
  int maxInFlightSeen;
  int steps;
  final Map<String, Integer> firstCreated = new HashMap<>();
  final Map<String, Integer> finished = new HashMap<>();

  /** What the fake agent reports for a published Target: Converged unless told otherwise. */
  Function<TargetState, TargetPhase> agent = t -> TargetPhase.Converged;

  RunHarness(PlanBuilder plan, List<ClusterState> clusters, DesiredVersion... units) {
    this.plan = plan.toApi();
    clusters.forEach(c -> this.clusters.put(c.name(), c));
    this.run =
        RunState.start(
            "run-1",
            T0,
            units.length == 0 ? new DesiredVersion[] {new DesiredVersion("app", "2.0.0")} : units);
  }

  static List<ClusterState> clusters(String label, String value, int n) {
    List<ClusterState> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new ClusterState(
              String.format("%s-%04d", value, i),
              Map.of(label, value),
              Reachability.Connected,
              Map.of("app", "1.0.0"),
              Map.of("app", "0.9.0")));
    }
    return out;
  }

  EngineInput input() {
    RunState r =
        new RunState(
            run.id(),
            run.units(),
            run.startedAt(),
            run.phase(),
            run.superseded(),
            List.copyOf(stages.values()),
            run.control());
    return new EngineInput(
        plan,
        r,
        List.copyOf(clusters.values()),
        List.copyOf(targets.values()),
        approvals,
        webhooks,
        claims,
        now,
        metrics);
  }

  EngineResult decide() {
    return RunEngine.decide(input());
  }

  /** One engine step, applied. */
  EngineResult step() {
    return stepPartial(Integer.MAX_VALUE);
  }

  /** One engine step of which only the first {@code keep} decisions are applied (a crash). */
  EngineResult stepPartial(int keep) {
    EngineResult result = decide();
    assertThat(RunEngine.decide(input())).as("deterministic").isEqualTo(result);
    steps++;
    result.decisions().stream().limit(keep).forEach(this::apply);
    audit.addAll(result.audit());
    long inFlight = targets.values().stream().filter(t -> t.phase().inFlight()).count();
    maxInFlightSeen = (int) Math.max(maxInFlightSeen, inFlight);
    return result;
  }

  void apply(EngineDecision d) {
    switch (d) {
      case EngineDecision.RejectSpec r -> rejected = r.problems();
      case EngineDecision.StageTransition s -> {
        stages.put(s.to().name(), s.to());
        if (s.to().phase().done()) {
          finished.putIfAbsent(s.to().name(), steps);
        }
      }
      case EngineDecision.RunTransition r -> {
        assertThat(r.from()).isEqualTo(run.phase());
        run = run.in(r.to());
      }
      case EngineDecision.CallWebhook c -> webhookCalls.add(c);
      case EngineDecision.MeasureMetrics m -> measurements.add(m);
      case EngineDecision.CreateTarget c -> {
        assertThat(targets).as("one Target per cluster × stage").doesNotContainKey(c.key());
        targets.put(c.key(), TargetState.pending(c.stage(), c.cluster(), c.wave(), now));
        targetUnits.put(c.key(), c.units());
        firstCreated.putIfAbsent(c.stage(), steps);
      }
      case EngineDecision.HoldTarget h -> set(h.key(), TargetPhase.Waiting, h.gates(), h.message());
      case EngineDecision.MarkEligible m -> set(m.key(), TargetPhase.Publishing, m.gates(), null);
      case EngineDecision.FailTarget f ->
          set(f.key(), TargetPhase.Failed, null, f.reason() + ": " + f.message());
      case EngineDecision.SkipTarget s -> set(s.key(), TargetPhase.Skipped, null, s.message());
      case EngineDecision.CancelTarget s -> set(s.key(), TargetPhase.Cancelled, null, s.message());
      case EngineDecision.SupersedeTarget s ->
          set(s.key(), TargetPhase.Superseded, null, s.message());
      case EngineDecision.RollbackTarget r -> {
        targetUnits.put(r.key(), r.units());
        TargetState t = targets.get(r.key());
        targets.put(
            r.key(),
            new TargetState(
                t.stage(),
                t.cluster(),
                t.wave(),
                TargetPhase.Publishing,
                now,
                null,
                true,
                t.gates(),
                "rolling back"));
      }
    }
  }

  private void set(
      TargetKey key, TargetPhase phase, List<io.kapro.hub.gate.GateOutcome> gates, String msg) {
    TargetState t = targets.get(key);
    assertThat(t).as("decision for an existing Target %s", key).isNotNull();
    targets.put(
        key,
        new TargetState(
            t.stage(),
            t.cluster(),
            t.wave(),
            phase,
            phase == t.phase() ? t.since() : now,
            t.publishedAt(),
            t.rollback(),
            gates == null ? t.gates() : gates,
            msg));
  }

  /** The fake publisher: every Publishing Target gets a bundle now. */
  void publish() {
    for (var e : targets.entrySet()) {
      TargetState t = e.getValue();
      if (t.phase() == TargetPhase.Publishing) {
        e.setValue(
            new TargetState(
                t.stage(),
                t.cluster(),
                t.wave(),
                TargetPhase.Published,
                now,
                now,
                t.rollback(),
                t.gates(),
                t.message()));
      }
    }
  }

  /** The fake agent: every Published Target reports its outcome; Converged moves versions. */
  void converge() {
    for (var e : targets.entrySet()) {
      TargetState t = e.getValue();
      if (t.phase() != TargetPhase.Published) {
        continue;
      }
      TargetPhase outcome = t.rollback() ? TargetPhase.Converged : agent.apply(t);
      if (outcome == TargetPhase.Published) {
        continue;
      }
      e.setValue(
          new TargetState(
              t.stage(),
              t.cluster(),
              t.wave(),
              outcome,
              now,
              t.publishedAt(),
              t.rollback(),
              t.gates(),
              t.message()));
      if (outcome == TargetPhase.Converged) {
        ClusterState c = clusters.get(t.cluster());
        Map<String, String> versions = new HashMap<>(c.versions());
        Map<String, String> previous = new HashMap<>(c.previousVersions());
        for (DesiredVersion u : targetUnits.get(e.getKey())) {
          String old = versions.put(u.name(), u.version());
          if (old != null && !old.equals(u.version())) {
            previous.put(u.name(), old);
          }
        }
        clusters.put(
            c.name(),
            new ClusterState(
                c.name(),
                c.labels(),
                c.connectivity(),
                versions,
                previous,
                c.model(),
                c.reachableSince()));
      }
    }
  }

  /** Engine step, publish, converge, a minute passes; until the run ends or maxSteps. */
  int runToEnd(int maxSteps) {
    int n = 0;
    while (!run.phase().terminal() && n < maxSteps) {
      step();
      publish();
      converge();
      now = now.plus(Duration.ofMinutes(1));
      n++;
    }
    return n;
  }

  void approve(String name, String stage, String cluster) {
    approvals.add(
        new ApprovalRecord(name, stage, cluster, Decision.Approve, "alice", "looks good"));
  }

  void reject(String name, String stage, String cluster) {
    approvals.add(new ApprovalRecord(name, stage, cluster, Decision.Reject, "bob", "not today"));
  }

  List<TargetState> inStage(String stage) {
    return targets.values().stream().filter(t -> t.stage().equals(stage)).toList();
  }

  long count(String stage, TargetPhase phase) {
    return inStage(stage).stream().filter(t -> t.phase() == phase).count();
  }

  StagePhase stagePhase(String stage) {
    StageProgress p = stages.get(stage);
    return p == null ? StagePhase.Pending : p.phase();
  }
}
