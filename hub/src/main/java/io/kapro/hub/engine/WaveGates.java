package io.kapro.hub.engine;

import io.kapro.api.v1alpha2.GateResult;
import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.engine.plan.StagePlan;
import io.kapro.hub.gate.GateCheck;
import io.kapro.hub.gate.GateContext;
import io.kapro.hub.gate.GateEvaluator;
import io.kapro.hub.gate.GateOutcome;
import io.kapro.hub.gate.HealthSnapshot;
import io.kapro.hub.gate.WebhookRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides, for each unstarted Target of a stage, whether its gates hold it, fail it, or let it go
 * (subject to maxParallel and to the cluster not being busy in another run or stage).
 */
final class WaveGates {
  /**
   * What the stage learned: a gate failure message, whether gates hold Targets, what is in flight.
   */
  record Outcome(String failure, boolean heldByGate, boolean inFlight, String message) {}

  private final Step step;
  private final StagePlan stage;
  private final List<TargetState> targets;
  private final Instant unlocked;
  private final Map<Integer, Instant> soakSince = new HashMap<>();
  private final Map<Integer, HealthSnapshot> health = new HashMap<>();
  private final Map<String, Boolean> webhookRequested = new HashMap<>();

  WaveGates(Step step, StagePlan stage, List<TargetState> targets, Instant unlocked) {
    this.step = step;
    this.stage = stage;
    this.targets = targets;
    this.unlocked = unlocked;
  }

  Outcome evaluate() {
    int inFlight = 0;
    for (TargetState t : targets) {
      if (step.phase(t).inFlight()) {
        inFlight++;
      }
    }
    long slots = (long) stage.maxParallel() - inFlight;
    String failure = null;
    String message = null;
    boolean heldByGate = false;
    for (TargetState t : targets) {
      if (!step.phase(t).unstarted()) {
        continue;
      }
      List<GateOutcome> results = results(t);
      GateOutcome failed = first(results, GateResult.Failed);
      GateOutcome pending = first(results, GateResult.Pending);
      if (failed != null) {
        String why = "gate " + failed.name() + " failed: " + failed.message();
        step.decide(
            new EngineDecision.FailTarget(stage.name(), t.cluster(), "GateFailed", why),
            TargetPhase.Failed);
        if (failure == null) {
          failure = why;
          step.audit("GateFailed", stage.name() + " wave " + t.wave() + ": " + why);
        }
      } else if (pending != null) {
        String why = "gate " + pending.name() + ": " + pending.message();
        hold(t, results, why);
        heldByGate = true;
        message = message == null ? why : message;
      } else if (step.paused()) {
        hold(t, results, "run paused; resume it to publish (kapro resume)");
      } else if (unreachable(t)) {
        continue;
      } else if (step.busy(stage.name(), t.cluster()) != null) {
        hold(t, results, step.busy(stage.name(), t.cluster()));
      } else if (slots <= 0) {
        hold(
            t,
            results,
            "waiting for a slot: maxParallel " + stage.maxParallel() + " Targets in flight");
      } else {
        step.decide(
            new EngineDecision.MarkEligible(stage.name(), t.cluster(), results),
            TargetPhase.Publishing);
        slots--;
        inFlight++;
      }
    }
    return new Outcome(failure, heldByGate, inFlight > 0, message);
  }

  /**
   * An unreachable cluster's Target under {@code unreachable: Skip} or {@code Fail} is decided here
   * instead of being published; returns true if it was. Under {@code Wait} it is published.
   */
  private boolean unreachable(TargetState t) {
    String why = step.unreachable(t.cluster());
    if (why == null) {
      return false;
    }
    switch (stage.unreachable()) {
      case Skip -> {
        step.decide(
            new EngineDecision.SkipTarget(
                stage.name(), t.cluster(), "Unreachable: " + why + " (unreachable: Skip)"),
            TargetPhase.Skipped);
        step.audit("TargetSkipped", stage.name() + "/" + t.cluster() + ": " + why);
        return true;
      }
      case Fail -> {
        step.decide(
            new EngineDecision.FailTarget(
                stage.name(), t.cluster(), "Unreachable", why + " (unreachable: Fail)"),
            TargetPhase.Failed);
        step.audit("TargetUnreachable", stage.name() + "/" + t.cluster() + ": " + why);
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private List<GateOutcome> results(TargetState t) {
    List<GateOutcome> results = new ArrayList<>();
    if (step.in.run().control().skipGates()) {
      return results;
    }
    for (GateCheck g : stage.gates()) {
      if (!g.appliesToWave(t.wave())) {
        continue;
      }
      GateContext ctx =
          new GateContext(
              step.now,
              g.type() == GateType.Approval ? step.approvalFor(stage.name(), t.cluster()) : null,
              g.type() == GateType.Soak ? soakSince(t.wave()) : null,
              g.type() == GateType.Health || g.type() == GateType.Soak ? health(t.wave()) : null,
              name -> step.webhooks.get(Step.webhookKey(stage.name(), t.wave(), name)),
              name -> step.metrics.get(Step.metricsKey(stage.name(), t.cluster(), name)));
      GateOutcome r = GateEvaluator.evaluate(g, ctx);
      if (r.verdict() == GateResult.Pending) {
        GateEvaluator.wakeAt(g, ctx).ifPresent(step::wake);
        if (g instanceof GateCheck.WebhookCheck w) {
          requestWebhook(t.wave(), w);
        }
        if (g instanceof GateCheck.MetricsCheck m) {
          requestMeasurement(t, m, ctx);
        }
        if (g.type() == GateType.Approval) {
          step.approvalPending = true;
        }
      }
      results.add(r);
    }
    return results;
  }

  private void hold(TargetState t, List<GateOutcome> results, String message) {
    if (t.phase() != TargetPhase.Waiting
        || !t.gates().equals(results)
        || !Objects.equals(t.message(), message)) {
      step.decide(
          new EngineDecision.HoldTarget(stage.name(), t.cluster(), results, message),
          TargetPhase.Waiting);
    }
  }

  private static GateOutcome first(List<GateOutcome> results, GateResult verdict) {
    for (GateOutcome r : results) {
      if (r.verdict() == verdict) {
        return r;
      }
    }
    return null;
  }

  /**
   * Soak counts from the previous wave's convergence (a Target of it that is Degraded or Failed
   * does not move the start), or from the stage's unlock for wave 1.
   */
  private Instant soakSince(int wave) {
    return soakSince.computeIfAbsent(
        wave,
        w -> {
          if (w == 1) {
            return unlocked;
          }
          Instant last = unlocked;
          for (TargetState t : targets) {
            if (t.wave() == w - 1
                && !step.phase(t).unavailable()
                && t.since() != null
                && t.since().isAfter(last)) {
              last = t.since();
            }
          }
          return last;
        });
  }

  /**
   * Health (and a soak's regressions) look at the previous wave, or at the upstream stages' Targets
   * for wave 1.
   */
  private HealthSnapshot health(int wave) {
    return health.computeIfAbsent(
        wave,
        w -> {
          List<TargetState> scope = new ArrayList<>();
          if (w == 1) {
            stage.dependsOn().forEach(d -> scope.addAll(step.targets(d)));
          } else {
            targets.stream().filter(t -> t.wave() == w - 1).forEach(scope::add);
          }
          int converged = 0;
          int unfinished = 0;
          int unhealthy = 0;
          List<HealthSnapshot.Unhealthy> which = new ArrayList<>();
          for (TargetState t : scope) {
            TargetPhase phase = step.phase(t);
            if (phase == TargetPhase.Converged) {
              converged++;
            } else if (phase.unfinished()) {
              unfinished++;
            } else if (phase.unavailable()) {
              unhealthy++;
              which.add(new HealthSnapshot.Unhealthy(t.cluster(), t.since(), t.message()));
            }
          }
          return new HealthSnapshot(converged, unfinished, unhealthy, which);
        });
  }

  /** Asks for the next measurement of a metrics gate once its interval has gone by. */
  private void requestMeasurement(TargetState t, GateCheck.MetricsCheck gate, GateContext ctx) {
    Instant due = GateEvaluator.wakeAt(gate, ctx).orElse(step.now);
    if (due.isAfter(step.now)) {
      return;
    }
    step.webhookCalls.add(
        new EngineDecision.MeasureMetrics(
            gate, step.in.run().id(), stage.name(), t.cluster(), t.wave(), step.in.run().units()));
  }

  private void requestWebhook(int wave, GateCheck.WebhookCheck gate) {
    String key = Step.webhookKey(stage.name(), wave, gate.name());
    if (webhookRequested.putIfAbsent(key, true) != null) {
      return;
    }
    List<String> clusters =
        targets.stream().filter(t -> t.wave() == wave).map(TargetState::cluster).toList();
    Map<String, String> units = new LinkedHashMap<>();
    step.in.run().units().forEach(u -> units.put(u.name(), u.version()));
    step.webhookCalls.add(
        new EngineDecision.CallWebhook(
            gate,
            new WebhookRequest(
                step.in.run().id(), stage.name(), wave, gate.name(), clusters, units)));
  }
}
