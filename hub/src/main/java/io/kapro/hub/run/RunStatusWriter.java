package io.kapro.hub.run;

import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.PromotionRunStatus;
import io.kapro.api.v1alpha2.StageStatus;
import io.kapro.hub.engine.AuditRecord;
import io.kapro.hub.engine.DesiredVersion;
import io.kapro.hub.engine.EngineDecision;
import io.kapro.hub.engine.EngineResult;
import io.kapro.hub.engine.StageProgress;
import io.kapro.hub.kube.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds the engine's latches (stage and run transitions, spec rejection), the summary and the audit
 * entries into a new PromotionRun status. Pure: the reconciler writes the result.
 */
final class RunStatusWriter {
  static final int AUDIT_LIMIT = 50;

  private RunStatusWriter() {}

  static PromotionRunStatus next(
      PromotionRunStatus current,
      Long generation,
      EngineResult result,
      Instant startedAt,
      Instant now) {
    PromotionRunStatus s = copy(current);
    if (s.getStartedAt() == null) {
      s.setStartedAt(Times.format(startedAt));
    }
    if (s.getPhase() == null) {
      s.setPhase(io.kapro.api.v1alpha2.RunPhase.Pending);
    }
    List<StageStatus> stages =
        s.getStages() == null ? new ArrayList<>() : new ArrayList<>(s.getStages());
    String reject = null;
    for (EngineDecision d : result.decisions()) {
      switch (d) {
        case EngineDecision.StageTransition t -> upsert(stages, t.to());
        case EngineDecision.RunTransition t -> {
          s.setPhase(t.to());
          if (t.to().terminal()) {
            s.setFinishedAt(Times.format(now));
          }
        }
        case EngineDecision.RejectSpec r ->
            reject = String.join("; ", r.problems().stream().map(Object::toString).toList());
        default -> {}
      }
    }
    s.setStages(stages);
    var summary = new io.kapro.api.v1alpha2.RunSummary();
    summary.setTargets(result.summary().targets());
    summary.setPending(result.summary().pending());
    summary.setInFlight(result.summary().inFlight());
    summary.setConverged(result.summary().converged());
    summary.setFailed(result.summary().failed());
    summary.setSkipped(result.summary().skipped());
    s.setSummary(summary);
    List<io.kapro.api.v1alpha2.AuditEntry> audit =
        s.getAudit() == null ? new ArrayList<>() : new ArrayList<>(s.getAudit());
    for (AuditRecord a : result.audit()) {
      var e = new io.kapro.api.v1alpha2.AuditEntry();
      e.setTime(Times.format(a.time()));
      e.setEvent(a.event());
      e.setMessage(a.message());
      audit.add(e);
    }
    if (audit.size() > AUDIT_LIMIT) {
      audit = new ArrayList<>(audit.subList(audit.size() - AUDIT_LIMIT, audit.size()));
    }
    s.setAudit(audit);
    s.setObservedGeneration(generation);
    ready(s, reject, result.message(), generation, now);
    return s;
  }

  /**
   * Ready: the phase and what the engine says about it ({@code run Running: waiting for unreachable
   * cluster(s) …}); a finished run keeps the reason it finished with.
   */
  private static void ready(
      PromotionRunStatus s, String reject, String why, Long generation, Instant now) {
    var phase = s.getPhase();
    ConditionStatus status = ConditionStatus.True;
    String reason = Kapro.Reasons.RECONCILED;
    String message = "run " + phase + (why == null ? "" : ": " + why);
    if (why == null && phase != null && phase.terminal()) {
      var previous = Conditions.find(s.getConditions(), Kapro.ConditionTypes.READY).orElse(null);
      if (previous != null
          && previous.getMessage() != null
          && previous.getMessage().startsWith("run " + phase + ": ")) {
        message = previous.getMessage();
      }
    }
    if (reject != null) {
      status = ConditionStatus.False;
      reason = Kapro.Reasons.INVALID_SPEC;
      message = reject;
    } else if (phase == io.kapro.api.v1alpha2.RunPhase.Halted) {
      status = ConditionStatus.False;
      reason = Kapro.Reasons.HALTED;
    } else if (phase == io.kapro.api.v1alpha2.RunPhase.RolledBack) {
      status = ConditionStatus.False;
      reason = Kapro.Reasons.ROLLED_BACK;
    } else if (phase == io.kapro.api.v1alpha2.RunPhase.Superseded) {
      status = ConditionStatus.False;
      reason = Kapro.Reasons.SUPERSEDED;
    } else if (phase == io.kapro.api.v1alpha2.RunPhase.Aborted) {
      status = ConditionStatus.False;
      reason = Kapro.Reasons.ABORTED;
    } else if (phase == io.kapro.api.v1alpha2.RunPhase.Paused) {
      reason = Kapro.Reasons.PAUSED;
    } else if (phase == io.kapro.api.v1alpha2.RunPhase.WaitingForApproval) {
      reason = Kapro.Reasons.WAITING_FOR_APPROVAL;
    }
    if (reject == null) {
      var previous = Conditions.find(s.getConditions(), Kapro.ConditionTypes.READY).orElse(null);
      if (previous != null && Kapro.Reasons.INVALID_SPEC.equals(previous.getReason())) {
        return; // an invalid spec stays reported; the run is finished
      }
    }
    s.setConditions(
        Conditions.set(
            s.getConditions(),
            Conditions.of(Kapro.ConditionTypes.READY, status, reason, message, generation),
            now));
  }

  private static void upsert(List<StageStatus> stages, StageProgress p) {
    StageStatus st = new StageStatus();
    st.setName(p.name());
    st.setPhase(p.phase());
    st.setCurrentWave(Math.max(0, p.currentWave() - 1));
    st.setStartedAt(Times.format(p.startedAt()));
    st.setConvergedAt(Times.format(p.convergedAt()));
    st.setMessage(p.message());
    for (int i = 0; i < stages.size(); i++) {
      if (p.name().equals(stages.get(i).getName())) {
        stages.set(i, st);
        return;
      }
    }
    stages.add(st);
  }

  static List<io.kapro.api.v1alpha2.UnitVersion> units(List<DesiredVersion> units) {
    return units.stream()
        .map(
            u -> {
              var v = new io.kapro.api.v1alpha2.UnitVersion();
              v.setName(u.name());
              v.setVersion(u.version());
              return v;
            })
        .toList();
  }

  private static PromotionRunStatus copy(PromotionRunStatus s) {
    PromotionRunStatus c = new PromotionRunStatus();
    if (s != null) {
      c.setPhase(s.getPhase());
      c.setStages(s.getStages());
      c.setSummary(s.getSummary());
      c.setConditions(s.getConditions());
      c.setAudit(s.getAudit());
      c.setStartedAt(s.getStartedAt());
      c.setFinishedAt(s.getFinishedAt());
      c.setObservedGeneration(s.getObservedGeneration());
    }
    return c;
  }
}
