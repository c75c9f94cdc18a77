package io.kapro.hub.engine;

import io.kapro.api.v1alpha2.Decision;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.engine.plan.CompiledPlan;
import io.kapro.hub.engine.plan.StageMembership;
import io.kapro.hub.engine.plan.StagePlan;
import io.kapro.hub.gate.ApprovalRecord;
import io.kapro.hub.gate.MetricsObservation;
import io.kapro.hub.gate.WebhookObservation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The working state of one engine step: indexes over the input, the stage latches as they change,
 * the projected phase of every Target after this step's decisions, and the decisions so far.
 */
final class Step {
  final EngineInput in;
  final CompiledPlan plan;
  final StageMembership membership;
  final Instant now;
  final Map<String, ClusterState> clusters = new HashMap<>();
  final Map<String, StageProgress> initial = new LinkedHashMap<>();
  final Map<String, StageProgress> progress = new LinkedHashMap<>();
  final Map<String, List<TargetState>> targetsByStage = new HashMap<>();
  final Map<TargetKey, TargetPhase> projected = new HashMap<>();
  final Map<String, List<ClusterClaim>> claims = new HashMap<>();
  final Map<String, java.util.Set<String>> inFlightStages = new HashMap<>();
  final Map<String, WebhookObservation> webhooks = new HashMap<>();
  final Map<String, MetricsObservation> metrics = new HashMap<>();

  /** Calls out (webhooks, metrics measurements), applied before the Target decisions. */
  final List<EngineDecision> webhookCalls = new ArrayList<>();

  final List<EngineDecision.TargetDecision> targetDecisions = new ArrayList<>();
  final List<AuditRecord> audit = new ArrayList<>();
  final List<EngineDecision.CreateTarget> created = new ArrayList<>();
  final java.util.Set<TargetKey> rollingBack = new java.util.HashSet<>();

  /** Targets of unreachable clusters the stage stopped waiting for (past maxWait, policy Wait). */
  final java.util.Set<TargetKey> waitedOut = new java.util.HashSet<>();

  /**
   * Published Targets of unreachable clusters a wave is still waiting for (within maxWait), as
   * {@code stage/cluster (why)}: the run's status says so.
   */
  final List<String> awaitingUnreachable = new ArrayList<>();

  boolean approvalPending;
  Instant wake;

  Step(EngineInput in, CompiledPlan plan, StageMembership membership) {
    this.in = in;
    this.plan = plan;
    this.membership = membership;
    this.now = in.now();
    in.clusters().forEach(c -> clusters.put(c.name(), c));
    for (StageProgress p : in.run().stages()) {
      initial.put(p.name(), p);
    }
    for (StagePlan s : plan.stages()) {
      StageProgress p = initial.getOrDefault(s.name(), StageProgress.pending(s.name()));
      initial.put(s.name(), p);
      progress.put(s.name(), p);
      targetsByStage.put(s.name(), new ArrayList<>());
    }
    for (TargetState t : in.targets()) {
      if (t == null || t.stage() == null || t.cluster() == null || projected.containsKey(t.key())) {
        continue; // a second Target for the same cluster × stage is ignored, never acted on twice
      }
      targetsByStage.computeIfAbsent(t.stage(), k -> new ArrayList<>()).add(t);
      projected.put(t.key(), t.phase());
      if (t.phase().inFlight()) {
        inFlightStages.computeIfAbsent(t.cluster(), k -> new java.util.TreeSet<>()).add(t.stage());
      }
    }
    Comparator<TargetState> order =
        Comparator.comparingInt(TargetState::wave).thenComparing(TargetState::cluster);
    targetsByStage.values().forEach(l -> l.sort(order));
    String run = in.run().id();
    for (ClusterClaim c : in.claims()) {
      if (!Objects.equals(c.run(), run)) {
        claims.computeIfAbsent(c.cluster(), k -> new ArrayList<>()).add(c);
      }
    }
    for (WebhookObservation o : in.webhooks()) {
      webhooks.put(webhookKey(o.stage(), o.wave(), o.gate()), o);
    }
    for (MetricsObservation o : in.metrics()) {
      metrics.put(metricsKey(o.stage(), o.cluster(), o.gate()), o);
    }
  }

  static String metricsKey(String stage, String cluster, String gate) {
    return stage + "\u0000" + cluster + "\u0000" + gate;
  }

  static String webhookKey(String stage, int wave, String gate) {
    return stage + "\u0000" + wave + "\u0000" + gate;
  }

  /** A person paused the run: nothing becomes eligible to publish, no wave opens. */
  boolean paused() {
    return in.run().control().paused();
  }

  /** The cluster as the engine sees it; null if it left the fleet. */
  ClusterState cluster(String name) {
    return clusters.get(name);
  }

  /**
   * Why the hub cannot reach {@code cluster} now (gone, AirGapped, Connected not True), or null.
   */
  String unreachable(String cluster) {
    ClusterState c = clusters.get(cluster);
    return c == null ? "cluster " + cluster + " is gone from the fleet" : c.unreachableWhy();
  }

  List<TargetState> targets(String stage) {
    return targetsByStage.getOrDefault(stage, List.of());
  }

  TargetPhase phase(TargetState t) {
    return projected.get(t.key());
  }

  StageProgress progress(String stage) {
    return progress.get(stage);
  }

  void latch(StageProgress next) {
    progress.put(next.name(), next);
  }

  void decide(EngineDecision.TargetDecision d, TargetPhase newPhase) {
    targetDecisions.add(d);
    projected.put(d.key(), newPhase);
    var stages = inFlightStages.computeIfAbsent(d.cluster(), k -> new java.util.TreeSet<>());
    if (newPhase.inFlight()) {
      stages.add(d.stage());
    } else {
      stages.remove(d.stage());
    }
  }

  void wake(Instant at) {
    if (at.isAfter(now) && (wake == null || at.isBefore(wake))) {
      wake = at;
    }
  }

  void audit(String event, String message) {
    audit.add(new AuditRecord(now, event, message));
  }

  /** The Approval speaking for a Target: a rejection if any, else an approval (first by name). */
  ApprovalRecord approvalFor(String stage, String cluster) {
    ApprovalRecord reject = null;
    ApprovalRecord approve = null;
    for (ApprovalRecord a : in.approvals()) {
      if (a == null || a.decision() == null || !a.appliesTo(stage, cluster)) {
        continue;
      }
      if (a.decision() == Decision.Reject) {
        reject = firstByName(reject, a);
      } else {
        approve = firstByName(approve, a);
      }
    }
    return reject != null ? reject : approve;
  }

  private static ApprovalRecord firstByName(ApprovalRecord current, ApprovalRecord candidate) {
    if (current == null) {
      return candidate;
    }
    return String.valueOf(candidate.name()).compareTo(String.valueOf(current.name())) < 0
        ? candidate
        : current;
  }

  /** Why this cluster cannot take a new Target now, or null: another run or stage holds it. */
  String busy(String stage, String cluster) {
    for (ClusterClaim c : claims.getOrDefault(cluster, List.of())) {
      for (DesiredVersion u : in.run().units()) {
        if (u.name().equals(c.unit())) {
          return "cluster " + cluster + " is in active run " + c.run() + " for unit " + c.unit();
        }
      }
    }
    for (String other : inFlightStages.getOrDefault(cluster, java.util.Set.of())) {
      if (!other.equals(stage)) {
        return "cluster " + cluster + " has a Target in flight in stage " + other;
      }
    }
    return null;
  }
}
