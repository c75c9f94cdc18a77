package io.kapro.hub.run;

import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Approval;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.GateResult;
import io.kapro.api.v1alpha2.GateStatus;
import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.v1alpha2.StageStatus;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.engine.ClusterClaim;
import io.kapro.hub.engine.ClusterState;
import io.kapro.hub.engine.DesiredVersion;
import io.kapro.hub.engine.EngineInput;
import io.kapro.hub.engine.Reachability;
import io.kapro.hub.engine.RunState;
import io.kapro.hub.engine.StageProgress;
import io.kapro.hub.engine.TargetState;
import io.kapro.hub.gate.ApprovalRecord;
import io.kapro.hub.gate.GateOutcome;
import io.kapro.hub.gate.MetricsObservation;
import io.kapro.hub.gate.WebhookObservation;
import io.kapro.hub.kube.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the engine's input from the API objects of one run. Waves are 0-based in the API and
 * 1-based in the engine; this class and {@link RunWriter} are the only places that convert.
 */
public final class RunInputs {
  private RunInputs() {}

  static EngineInput input(
      PromotionRun run,
      boolean superseded,
      io.kapro.api.v1alpha2.PromotionSpec promotion,
      List<Cluster> clusters,
      List<Target> targets,
      List<Target> otherRunsTargets,
      List<Approval> approvals,
      Instant now) {
    List<TargetState> states = new ArrayList<>();
    List<WebhookObservation> webhooks = new ArrayList<>();
    List<MetricsObservation> metrics = new ArrayList<>();
    Map<String, Target> byName = new HashMap<>();
    boolean rollbackRun = Boolean.TRUE.equals(run.getSpec().getRollback());
    for (Target t : targets) {
      if (t.getSpec() == null) {
        continue;
      }
      byName.put(t.getMetadata().getName(), t);
      TargetState s = target(t, rollbackRun);
      states.add(s);
      webhooks.addAll(webhooks(s, t));
      metrics.addAll(metrics(t));
    }
    List<ApprovalRecord> records = new ArrayList<>();
    for (Approval a : approvals) {
      ApprovalRecord r = approval(a, byName);
      if (r != null) {
        records.add(r);
      }
    }
    List<ClusterClaim> claims = new ArrayList<>();
    for (Target t : otherRunsTargets) {
      if (t.getSpec() == null || t.getSpec().getUnits() == null || !phase(t).inFlight()) {
        continue;
      }
      t.getSpec().getUnits().stream()
          .filter(u -> u != null && u.getName() != null)
          .forEach(
              u ->
                  claims.add(
                      new ClusterClaim(
                          t.getSpec().getCluster(), u.getName(), t.getSpec().getRun())));
    }
    return new EngineInput(
        run.getSpec().getPlanSnapshot(),
        run(run, superseded).with(control(run, promotion)),
        clusters.stream().map(RunInputs::cluster).toList(),
        states,
        records,
        webhooks,
        claims,
        now,
        metrics);
  }

  /** A metrics gate's measurements are kept on the Target's gate status. */
  private static List<MetricsObservation> metrics(Target t) {
    List<MetricsObservation> out = new ArrayList<>();
    if (t.getStatus() != null && t.getStatus().getGates() != null) {
      for (GateStatus g : t.getStatus().getGates()) {
        if (g.getType() == GateType.Metrics && g.getMetrics() != null) {
          out.add(
              MetricsMeasurements.observation(t.getSpec().getStage(), t.getSpec().getCluster(), g));
        }
      }
    }
    return out;
  }

  static RunState run(PromotionRun run, boolean superseded) {
    var status = run.getStatus();
    List<DesiredVersion> units =
        run.getSpec().getUnits() == null
            ? List.of()
            : run.getSpec().getUnits().stream()
                .map(u -> u == null ? null : new DesiredVersion(u.getName(), u.getVersion()))
                .toList();
    List<StageProgress> stages = new ArrayList<>();
    Instant started = Times.parse(run.getMetadata().getCreationTimestamp());
    RunPhase phase = RunPhase.Pending;
    if (status != null) {
      started = status.getStartedAt() == null ? started : Times.parse(status.getStartedAt());
      phase = status.getPhase() == null ? RunPhase.Pending : status.getPhase();
      if (status.getStages() != null) {
        for (StageStatus s : status.getStages()) {
          Instant stageStart = Times.parse(s.getStartedAt());
          int wave = s.getCurrentWave() == null ? 0 : s.getCurrentWave();
          stages.add(
              new StageProgress(
                  s.getName(),
                  s.getPhase() == null ? StagePhase.Pending : s.getPhase(),
                  stageStart == null ? 0 : wave + 1,
                  stageStart,
                  Times.parse(s.getConvergedAt()),
                  s.getMessage()));
        }
      }
    }
    return new RunState(run.getMetadata().getName(), units, started, phase, superseded, stages);
  }

  /**
   * Pause and abort come from the Promotion (only for its current run: the run stamped from its
   * spec hash), rollback and skipGates from the run's own spec.
   */
  static io.kapro.hub.engine.RunControl control(
      PromotionRun run, io.kapro.api.v1alpha2.PromotionSpec promotion) {
    boolean current =
        promotion != null
            && run.getSpec().getSpecHash() != null
            && run.getSpec().getSpecHash().equals(io.kapro.hub.promotion.SpecHash.of(promotion));
    return new io.kapro.hub.engine.RunControl(
        current && Boolean.TRUE.equals(promotion.getPaused()),
        current && Boolean.TRUE.equals(promotion.getAbort()),
        Boolean.TRUE.equals(run.getSpec().getRollback()),
        Boolean.TRUE.equals(run.getSpec().getSkipGates()));
  }

  static TargetState target(Target t) {
    return target(t, false);
  }

  /**
   * In a rollback run every Target carries {@code spec.rollback} (for its bundle); to the engine
   * only a Target turned into a rollback by {@code onFailure: Rollback} is one.
   */
  static TargetState target(Target t, boolean rollbackRun) {
    var spec = t.getSpec();
    var status = t.getStatus();
    List<GateOutcome> gates = new ArrayList<>();
    Instant since = Times.parse(t.getMetadata().getCreationTimestamp());
    Instant published = null;
    String message = null;
    if (status != null) {
      since = status.getSince() == null ? since : Times.parse(status.getSince());
      message = status.getMessage();
      published =
          status.getBundle() == null ? null : Times.parse(status.getBundle().getPublishedAt());
      if (status.getGates() != null) {
        for (GateStatus g : status.getGates()) {
          gates.add(
              new GateOutcome(
                  g.getName(),
                  g.getType(),
                  g.getResult() == null ? GateResult.Pending : g.getResult(),
                  g.getMessage()));
        }
      }
    }
    return new TargetState(
        spec.getStage(),
        spec.getCluster(),
        (spec.getWave() == null ? 0 : spec.getWave()) + 1,
        phase(t),
        since,
        published,
        Boolean.TRUE.equals(spec.getRollback()) && !rollbackRun,
        gates,
        message);
  }

  static TargetPhase phase(Target t) {
    return t.getStatus() == null || t.getStatus().getPhase() == null
        ? TargetPhase.Pending
        : t.getStatus().getPhase();
  }

  /** Webhook answers are recorded on the wave's Targets as Passed/Failed gate results. */
  private static List<WebhookObservation> webhooks(TargetState s, Target t) {
    List<WebhookObservation> out = new ArrayList<>();
    for (GateOutcome g : s.gates()) {
      if (g.type() == GateType.Webhook && g.verdict() != GateResult.Pending) {
        out.add(
            new WebhookObservation(
                s.stage(),
                s.wave(),
                g.name(),
                g.verdict() == GateResult.Passed,
                g.message(),
                s.since()));
      }
    }
    return out;
  }

  private static ApprovalRecord approval(Approval a, Map<String, Target> targets) {
    var spec = a.getSpec();
    if (spec == null || spec.getDecision() == null) {
      return null;
    }
    String stage = spec.getStage();
    String cluster = null;
    if (spec.getTarget() != null && !spec.getTarget().isBlank()) {
      Target t = targets.get(spec.getTarget());
      if (t == null) {
        return null; // names a Target this run does not have (yet)
      }
      stage = t.getSpec().getStage();
      cluster = t.getSpec().getCluster();
    }
    return new ApprovalRecord(
        a.getMetadata().getName(),
        stage,
        cluster,
        spec.getDecision(),
        spec.getApprover(),
        spec.getReason());
  }

  /** A Cluster as the engine sees it (also what {@code kapro promote --dry-run} hands it). */
  public static ClusterState cluster(Cluster c) {
    var status = c.getStatus();
    Reachability connectivity = Reachability.Unknown;
    java.time.Instant reachableSince = null;
    Map<String, String> versions = new HashMap<>();
    Map<String, String> previous = new HashMap<>();
    if (status != null) {
      Condition connected =
          Conditions.find(status.getConditions(), Kapro.ConditionTypes.CONNECTED).orElse(null);
      if (connected != null && connected.getStatus() != null) {
        connectivity =
            switch (connected.getStatus()) {
              case True -> Reachability.Connected;
              case False -> Reachability.Disconnected;
              case Unknown -> Reachability.Unknown;
            };
        reachableSince =
            connectivity == Reachability.Connected
                ? Times.parse(connected.getLastTransitionTime())
                : null;
      }
      if (status.getVersions() != null) {
        status
            .getVersions()
            .forEach(
                (unit, v) -> {
                  if (unit != null && v != null && v.getVersion() != null) {
                    versions.put(unit, v.getVersion());
                  }
                });
      }
      if (status.getPreviousVersions() != null) {
        status
            .getPreviousVersions()
            .forEach(
                (unit, v) -> {
                  if (unit != null && v != null) {
                    previous.put(unit, v);
                  }
                });
      }
    }
    Map<String, String> labels =
        c.getMetadata().getLabels() == null ? Map.of() : c.getMetadata().getLabels();
    return new ClusterState(
        c.getMetadata().getName(),
        labels,
        connectivity,
        versions,
        previous,
        c.getSpec() == null ? null : c.getSpec().getConnectivity(),
        reachableSince);
  }
}
