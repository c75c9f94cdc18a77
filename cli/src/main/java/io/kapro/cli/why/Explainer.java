package io.kapro.cli.why;

import io.kapro.api.Conditions;
import io.kapro.api.Durations;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Gate;
import io.kapro.api.v1alpha2.GateResult;
import io.kapro.api.v1alpha2.GateStatus;
import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.Stage;
import io.kapro.api.v1alpha2.StageStatus;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.UnitEvidence;
import io.kapro.cli.status.FleetViews;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Explains, from status and gate evidence only, why a cluster is or is not on a run's version:
 * which gate holds it and since when, which stage it waits for, whether the agent is connected,
 * what the agent reported, and the command that would release it. Pure: no API calls.
 */
public final class Explainer {
  private Explainer() {}

  /**
   * @param cluster the Cluster (null when it no longer exists)
   * @param run the run (null when the cluster is in none)
   * @param target the cluster's Target in the run (null when the run does not include it)
   */
  public static Why explain(String clusterName, Cluster cluster, PromotionRun run, Target target) {
    List<String> reasons = new ArrayList<>();
    List<String> hints = new ArrayList<>();
    String proven = proven(cluster);
    if (cluster == null) {
      reasons.add("cluster " + clusterName + " has no Cluster object in this namespace");
    } else if (Boolean.TRUE.equals(
        cluster.getSpec() == null ? null : cluster.getSpec().getPaused())) {
      reasons.add(
          "cluster " + clusterName + " is paused (spec.paused=true): nothing is published to it");
      hints.add(
          "kubectl patch clusters.kapro.io "
              + clusterName
              + " --type merge -p '{\"spec\":{\"paused\":false}}'");
    }
    if (run == null || target == null) {
      String summary =
          run == null
              ? clusterName + " is in no promotion run; it runs " + orNone(proven)
              : "run "
                  + run.getMetadata().getName()
                  + " does not include "
                  + clusterName
                  + " (no stage selects it); it runs "
                  + orNone(proven);
      if (run != null) {
        hints.add(
            "check the stage selectors of plan "
                + run.getSpec().getPlan()
                + " against the cluster's labels: kubectl get clusters.kapro.io "
                + clusterName
                + " --show-labels");
      }
      return new Why(
          clusterName,
          run == null ? null : run.getMetadata().getName(),
          null,
          null,
          null,
          null,
          proven,
          null,
          summary,
          reasons,
          hints);
    }
    String runName = run.getMetadata().getName();
    String stage = target.getSpec().getStage();
    String desired = FleetViews.units(target.getSpec().getUnits());
    var ts = target.getStatus();
    TargetPhase phase = ts == null || ts.getPhase() == null ? TargetPhase.Pending : ts.getPhase();
    String since = ts == null ? null : ts.getSince();
    String summary =
        switch (phase) {
          case Converged -> clusterName + " is on " + desired + " (converged" + at(since) + ")";
          case Skipped ->
              clusterName + " was skipped in run " + runName + "; it runs " + orNone(proven);
          case Cancelled ->
              clusterName
                  + " was cancelled when run "
                  + runName
                  + " was aborted; it runs "
                  + orNone(proven);
          case Superseded ->
              "run " + runName + " was superseded; " + clusterName + " runs " + orNone(proven);
          default ->
              clusterName
                  + " is not on "
                  + desired
                  + " yet: "
                  + phase
                  + at(since)
                  + "; it runs "
                  + orNone(proven);
        };
    if (ts != null
        && ts.getMessage() != null
        && !ts.getMessage().isEmpty()
        && phase != TargetPhase.Converged) {
      reasons.add("target " + target.getMetadata().getName() + ": " + ts.getMessage());
    }
    gates(run, target, stage, reasons, hints);
    if (phase == TargetPhase.Pending || phase == TargetPhase.Waiting) {
      dependencies(run, stage, reasons);
      if (phase == TargetPhase.Pending && target.getSpec().getWave() != null) {
        reasons.add(
            "it is in wave "
                + (target.getSpec().getWave() + 1)
                + " of stage "
                + stage
                + " ("
                + stageWave(run, stage)
                + ")");
      }
    }
    publishing(target, phase, reasons, hints);
    agent(cluster, target, phase, reasons, hints);
    evidence(target, phase, reasons);
    afterConvergence(run, target, reasons, hints);
    if (phase == TargetPhase.Failed || phase == TargetPhase.Degraded) {
      hints.add(
          "fix the cause above, then promote again: kapro promote "
              + run.getSpec().getFleet()
              + " --unit <unit> --version <version>");
    }
    var rs = run.getStatus();
    if (rs != null && rs.getPhase() != null) {
      switch (rs.getPhase()) {
        case Halted, Failed, RolledBack, RollingBack, Superseded, Aborted, Paused ->
            reasons.add("run " + runName + " is " + rs.getPhase());
        default -> {}
      }
    }
    return new Why(
        clusterName,
        runName,
        target.getMetadata().getName(),
        stage,
        phase.name(),
        since,
        proven,
        desired,
        summary,
        reasons,
        hints);
  }

  private static void gates(
      PromotionRun run, Target target, String stage, List<String> reasons, List<String> hints) {
    var ts = target.getStatus();
    if (ts == null || ts.getGates() == null) {
      return;
    }
    for (GateStatus g : ts.getGates()) {
      if (g.getResult() == GateResult.Passed) {
        continue;
      }
      String what = "gate " + g.getName() + " (" + g.getType() + ")";
      String msg = g.getMessage() == null || g.getMessage().isEmpty() ? "" : ": " + g.getMessage();
      if (g.getResult() == GateResult.Failed) {
        reasons.add(what + " failed" + at(g.getSince()) + msg);
        continue;
      }
      if (g.getType() == GateType.Approval) {
        reasons.add(
            "held by "
                + what
                + at(g.getSince())
                + ": waiting for approval of stage "
                + stage
                + msg);
        hints.add(
            "kapro approve "
                + run.getMetadata().getName()
                + " --stage "
                + stage
                + " --reason \"...\"");
      } else if (g.getType() == GateType.Soak) {
        reasons.add("held by " + what + at(g.getSince()) + soakEnd(run, stage, g) + msg);
        hints.add("it releases by itself when the soak time has passed");
      } else if (g.getType() == GateType.TimeWindow) {
        reasons.add(
            "held by " + what + at(g.getSince()) + ": outside the allowed time window" + msg);
        hints.add("it releases by itself when the window opens");
      } else {
        reasons.add("held by " + what + at(g.getSince()) + msg);
      }
    }
  }

  private static String soakEnd(PromotionRun run, String stage, GateStatus g) {
    Optional<Gate> gate =
        stageOf(run, stage)
            .flatMap(s -> Optional.ofNullable(s.getGates()))
            .flatMap(
                list -> list.stream().filter(x -> g.getName().equals(x.getName())).findFirst());
    if (gate.isEmpty() || gate.get().getSoak() == null || g.getSince() == null) {
      return ": soaking";
    }
    String d = gate.get().getSoak().getDuration();
    try {
      return ": soaking for "
          + d
          + ", until "
          + Instant.parse(g.getSince()).plus(Durations.parse(d));
    } catch (RuntimeException e) {
      return ": soaking for " + d;
    }
  }

  private static void dependencies(PromotionRun run, String stage, List<String> reasons) {
    Optional<Stage> s = stageOf(run, stage);
    if (s.isEmpty() || s.get().getDependsOn() == null) {
      return;
    }
    for (String dep : s.get().getDependsOn()) {
      String phase =
          run.getStatus() == null || run.getStatus().getStages() == null
              ? "Pending"
              : run.getStatus().getStages().stream()
                  .filter(x -> dep.equals(x.getName()))
                  .findFirst()
                  .map(StageStatus::getPhase)
                  .map(Enum::name)
                  .orElse("Pending");
      if (!"Succeeded".equals(phase)) {
        reasons.add("stage " + stage + " waits for stage " + dep + " (" + phase + ")");
      }
    }
  }

  private static String stageWave(PromotionRun run, String stage) {
    if (run.getStatus() == null || run.getStatus().getStages() == null) {
      return "the stage has not started";
    }
    return run.getStatus().getStages().stream()
        .filter(x -> stage.equals(x.getName()))
        .findFirst()
        .map(
            x ->
                x.getCurrentWave() == null
                    ? "the stage has not started"
                    : "the stage is at wave " + (x.getCurrentWave() + 1))
        .orElse("the stage has not started");
  }

  /** A bundle the hub cannot publish: the Target's Published=False condition says why. */
  private static void publishing(
      Target target, TargetPhase phase, List<String> reasons, List<String> hints) {
    if (phase != TargetPhase.Publishing || target.getStatus() == null) {
      return;
    }
    Conditions.find(target.getStatus().getConditions(), Kapro.ConditionTypes.PUBLISHED)
        .filter(c -> c.getStatus() == ConditionStatus.False)
        .ifPresent(
            c -> {
              reasons.add(
                  "its bundle cannot be published (" + c.getReason() + "): " + c.getMessage());
              hints.add(
                  "to release: fix what the message names; the hub retries the publish by itself"
                      + " (kubectl get fleets shows the Fleet's Ready condition)");
            });
  }

  private static void agent(
      Cluster cluster, Target target, TargetPhase phase, List<String> reasons, List<String> hints) {
    if (cluster == null
        || phase == TargetPhase.Converged
        || phase == TargetPhase.Skipped
        || phase == TargetPhase.Superseded) {
      return;
    }
    var bundle = target.getStatus() == null ? null : target.getStatus().getBundle();
    if (bundle != null && bundle.getSequence() != null && phase == TargetPhase.Published) {
      reasons.add(
          "bundle sequence "
              + bundle.getSequence()
              + " was published"
              + at(bundle.getPublishedAt())
              + " and is not applied yet");
    }
    Optional<Condition> connected =
        cluster.getStatus() == null
            ? Optional.empty()
            : Conditions.find(cluster.getStatus().getConditions(), Kapro.ConditionTypes.CONNECTED);
    boolean up =
        connected
            .map(c -> c.getStatus() != null && c.getStatus().name().equals("True"))
            .orElse(false);
    if (!up
        && (phase == TargetPhase.Published
            || phase == TargetPhase.Applied
            || phase == TargetPhase.Progressing
            || phase == TargetPhase.Publishing)) {
      String last = cluster.getStatus() == null ? null : cluster.getStatus().getLastSeen();
      reasons.add(
          "the agent of "
              + cluster.getMetadata().getName()
              + " is not connected ("
              + connected
                  .map(
                      c ->
                          "Connected="
                              + c.getStatus()
                              + (c.getReason() == null ? "" : ", " + c.getReason()))
                  .orElse("never reported")
              + (last == null ? "" : ", last seen " + last)
              + ")");
      hints.add("check the agent in that cluster: kubectl -n kapro-system logs deploy/kapro-agent");
    }
  }

  private static void evidence(Target target, TargetPhase phase, List<String> reasons) {
    var ev = target.getStatus() == null ? null : target.getStatus().getEvidence();
    if (ev == null || ev.getUnits() == null || phase == TargetPhase.Converged) {
      return;
    }
    for (UnitEvidence u : ev.getUnits()) {
      if (u.getPhase() != null && u.getPhase().name().equals("Converged")) {
        continue;
      }
      reasons.add(
          "agent reports unit "
              + u.getUnit()
              + " "
              + u.getPhase()
              + (u.getObservedRevision() == null ? "" : " at " + u.getObservedRevision())
              + (u.getMessage() == null ? "" : ": " + u.getMessage())
              + at(u.getObservedAt()));
    }
  }

  /**
   * What the agent saw after convergence: a regression (condition Degraded, with the controller's
   * reason) and drift (condition Drifted: a field changed, the agent put it back, or another owner
   * keeps reverting it).
   */
  private static void afterConvergence(
      PromotionRun run, Target target, List<String> reasons, List<String> hints) {
    var ts = target.getStatus();
    if (ts == null) {
      return;
    }
    Conditions.find(ts.getConditions(), Kapro.ConditionTypes.DEGRADED)
        .filter(c -> c.getStatus() != null && c.getStatus().name().equals("True"))
        .ifPresent(
            c -> {
              reasons.add(
                  "the local controller reports a problem ("
                      + c.getReason()
                      + ")"
                      + at(c.getLastTransitionTime())
                      + ": "
                      + c.getMessage());
              hints.add(
                  "soak and health gates of later stages fail while it lasts; look at the object"
                      + " in the cluster (e.g. kubectl describe helmrelease / flux get, argocd app"
                      + " get)");
            });
    Conditions.find(ts.getConditions(), Kapro.ConditionTypes.DRIFTED)
        .ifPresent(
            c -> {
              boolean on = c.getStatus() != null && c.getStatus().name().equals("True");
              if (on && Kapro.Reasons.OWNER_CONFLICT.equals(c.getReason())) {
                reasons.add(
                    "owner conflict" + at(c.getLastTransitionTime()) + ": " + c.getMessage());
                hints.add(
                    "let Kapro own the field: remove it from the parent's manifests or patch it"
                        + " out there (docs/operations.md, \"Lay out the GitOps repository\")");
              } else if (on) {
                reasons.add("drift" + at(c.getLastTransitionTime()) + ": " + c.getMessage());
                hints.add(
                    "fleet "
                        + run.getSpec().getFleet()
                        + " reports drift only (spec.drift: Report); set spec.drift: Reapply to"
                        + " have the agent put the bundle's value back");
              } else if (Kapro.Reasons.REAPPLIED.equals(c.getReason())) {
                reasons.add("drift was put back by the agent: " + c.getMessage());
              }
            });
  }

  private static Optional<Stage> stageOf(PromotionRun run, String stage) {
    if (run.getSpec() == null
        || run.getSpec().getPlanSnapshot() == null
        || run.getSpec().getPlanSnapshot().getStages() == null) {
      return Optional.empty();
    }
    return run.getSpec().getPlanSnapshot().getStages().stream()
        .filter(s -> Objects.equals(stage, s.getName()))
        .findFirst();
  }

  static String proven(Cluster c) {
    if (c == null
        || c.getStatus() == null
        || c.getStatus().getVersions() == null
        || c.getStatus().getVersions().isEmpty()) {
      return c == null || c.getStatus() == null ? null : c.getStatus().getVersionSummary();
    }
    return new TreeMap<>(c.getStatus().getVersions())
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue().getVersion())
            .collect(Collectors.joining(","));
  }

  private static String orNone(String proven) {
    return proven == null || proven.isEmpty() ? "no proven version" : proven;
  }

  private static String at(String time) {
    if (time == null || time.isEmpty()) {
      return "";
    }
    try {
      return " since " + Instant.parse(time);
    } catch (DateTimeParseException e) {
      return " since " + time;
    }
  }
}
