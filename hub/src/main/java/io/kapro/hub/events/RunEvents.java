package io.kapro.hub.events;

import io.kapro.api.v1alpha2.Approval;
import io.kapro.api.v1alpha2.Decision;
import io.kapro.api.v1alpha2.GateResult;
import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.PromotionRunStatus;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.v1alpha2.StageStatus;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every transition a PromotionRun has reached, derived from its status (level, not edge): run
 * started and finished, stages started/completed/failed, waves started/completed, approvals
 * required/granted/rejected. The emitter sends only those not sent before, so deriving them again
 * on every reconcile sends nothing twice.
 */
public final class RunEvents {
  private RunEvents() {}

  public static List<KaproEvent> of(
      PromotionRun run,
      PromotionRunStatus status,
      Collection<Target> targets,
      Collection<Approval> approvals,
      Instant now) {
    List<KaproEvent> out = new ArrayList<>();
    if (status == null || status.getPhase() == null) {
      return out;
    }
    String version =
        run.getSpec() == null || run.getSpec().getUnits() == null
            ? null
            : run.getSpec().getUnits().stream()
                .map(u -> u.getName() + "=" + u.getVersion())
                .collect(Collectors.joining(","));
    Subject s = Subject.of(run, run.getMetadata().getName(), version);
    RunPhase phase = status.getPhase();
    List<StageStatus> stages = status.getStages() == null ? List.of() : status.getStages();
    boolean started =
        stages.stream().anyMatch(RunEvents::stageStarted)
            || (phase != RunPhase.Pending && phase != RunPhase.Superseded);
    if (started) {
      out.add(
          s.event(
              EventType.RUN_STARTED, "run.started", null, null, null, null, "run started", now));
    }
    for (StageStatus st : stages) {
      stage(s, st, now, out);
    }
    approvals(s, run, phase, targets, approvals, now, out);
    EventType end =
        switch (phase) {
          case Succeeded -> EventType.RUN_SUCCEEDED;
          case Failed -> EventType.RUN_FAILED;
          case Halted -> EventType.RUN_HALTED;
          case Superseded -> EventType.RUN_SUPERSEDED;
          case RolledBack -> EventType.RUN_ROLLEDBACK;
          case Aborted -> EventType.RUN_ABORTED;
          default -> null;
        };
    if (end != null) {
      out.add(s.event(end, "run.end", null, null, null, null, "run " + phase, now));
    }
    return out;
  }

  private static boolean stageStarted(StageStatus st) {
    StagePhase p = st.getPhase();
    return p == StagePhase.Running
        || p == StagePhase.Soaking
        || p == StagePhase.Succeeded
        || p == StagePhase.Failed;
  }

  private static void stage(Subject s, StageStatus st, Instant now, List<KaproEvent> out) {
    if (!stageStarted(st)) {
      return;
    }
    String name = st.getName();
    out.add(
        s.event(
            EventType.STAGE_STARTED,
            "stage.started/" + name,
            name,
            null,
            null,
            null,
            "stage " + name + " started",
            now));
    int current = st.getCurrentWave() == null ? 0 : st.getCurrentWave();
    boolean done = st.getPhase() == StagePhase.Soaking || st.getPhase() == StagePhase.Succeeded;
    for (int w = 0; w <= current; w++) {
      out.add(
          s.event(
              EventType.WAVE_STARTED,
              "wave.started/" + name + "/" + w,
              name,
              w,
              null,
              null,
              "stage " + name + " wave " + w + " started",
              now));
      if (w < current || done) {
        out.add(
            s.event(
                EventType.WAVE_COMPLETED,
                "wave.completed/" + name + "/" + w,
                name,
                w,
                null,
                null,
                "stage " + name + " wave " + w + " completed",
                now));
      }
    }
    if (st.getPhase() == StagePhase.Succeeded) {
      out.add(
          s.event(
              EventType.STAGE_COMPLETED,
              "stage.end/" + name,
              name,
              null,
              null,
              null,
              "stage " + name + " completed",
              now));
    } else if (st.getPhase() == StagePhase.Failed) {
      out.add(
          s.event(
              EventType.STAGE_FAILED,
              "stage.end/" + name,
              name,
              null,
              null,
              null,
              st.getMessage() == null ? "stage " + name + " failed" : st.getMessage(),
              now));
    }
  }

  private static void approvals(
      Subject s,
      PromotionRun run,
      RunPhase phase,
      Collection<Target> targets,
      Collection<Approval> approvals,
      Instant now,
      List<KaproEvent> out) {
    if (phase == RunPhase.WaitingForApproval) {
      for (Target t : targets) {
        if (t.getStatus() == null
            || t.getStatus().getPhase() != TargetPhase.Waiting
            || t.getStatus().getGates() == null) {
          continue;
        }
        for (var g : t.getStatus().getGates()) {
          if (g.getType() == GateType.Approval && g.getResult() == GateResult.Pending) {
            String stage = t.getSpec().getStage();
            out.add(
                s.event(
                    EventType.APPROVAL_REQUIRED,
                    "approval.required/" + stage + "/" + g.getName(),
                    stage,
                    t.getSpec().getWave(),
                    null,
                    null,
                    "stage " + stage + " waits for approval " + g.getName(),
                    now));
          }
        }
      }
    }
    for (Approval a : approvals) {
      if (a.getSpec() == null
          || a.getSpec().getDecision() == null
          || !run.getMetadata().getName().equals(a.getSpec().getRun())) {
        continue;
      }
      boolean ok = a.getSpec().getDecision() == Decision.Approve;
      out.add(
          s.event(
              ok ? EventType.APPROVAL_GRANTED : EventType.APPROVAL_REJECTED,
              "approval/" + a.getMetadata().getName() + "/" + a.getMetadata().getUid(),
              a.getSpec().getStage(),
              null,
              a.getSpec().getTarget(),
              null,
              (ok ? "approved by " : "rejected by ")
                  + a.getSpec().getApprover()
                  + (a.getSpec().getReason() == null ? "" : ": " + a.getSpec().getReason()),
              now));
    }
  }
}
