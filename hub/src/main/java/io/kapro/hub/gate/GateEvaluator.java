package io.kapro.hub.gate;

import io.kapro.api.v1alpha2.Decision;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;

/**
 * Evaluates one gate for one Target. Pure: everything it reads comes in the {@link GateContext}.
 */
public final class GateEvaluator {
  private GateEvaluator() {}

  public static GateOutcome evaluate(GateCheck gate, GateContext ctx) {
    return switch (gate) {
      case GateCheck.ApprovalCheck g -> approval(g, ctx);
      case GateCheck.SoakCheck g -> soak(g, ctx);
      case GateCheck.HealthCheck g -> health(g, ctx);
      case GateCheck.TimeWindowCheck g -> timeWindow(g, ctx.now());
      case GateCheck.WebhookCheck g -> webhook(g, ctx);
      case GateCheck.MetricsCheck g -> metrics(g, ctx.metrics().apply(g.name()));
    };
  }

  /** When a pending gate could change by the clock alone (soak ends), if it can. */
  public static Optional<Instant> wakeAt(GateCheck gate, GateContext ctx) {
    return switch (gate) {
      case GateCheck.SoakCheck g -> Optional.of(ctx.soakSince().plus(g.duration()));
      // A window opens or closes on a minute boundary at the earliest.
      case GateCheck.TimeWindowCheck g ->
          Optional.of(ctx.now().plusSeconds(60 - ctx.now().getEpochSecond() % 60));
      // the next measurement is due one interval after the last
      case GateCheck.MetricsCheck g -> {
        MetricsObservation o = ctx.metrics().apply(g.name());
        yield Optional.of(
            o == null || o.lastMeasuredAt() == null
                ? ctx.now()
                : o.lastMeasuredAt().plus(g.interval()));
      }
      default -> Optional.empty();
    };
  }

  /**
   * A metrics gate from its measurements: failed once more than {@code failureLimit} failed (as
   * Argo Rollouts' failureLimit: the limit is what is tolerated), passed once the last {@code
   * consecutiveSuccesses} succeeded in a row, pending in between.
   */
  public static GateOutcome metrics(GateCheck.MetricsCheck gate, MetricsObservation o) {
    if (o == null || o.measurements() == 0) {
      return GateOutcome.pending(gate, "waiting for the first measurement");
    }
    String last = o.last() == null ? "" : "; last: " + o.last();
    if (o.failures() > gate.failureLimit()) {
      return GateOutcome.failed(
          gate,
          o.failures()
              + " of "
              + o.measurements()
              + " measurement(s) failed, more than failureLimit "
              + gate.failureLimit()
              + last);
    }
    if (o.consecutiveSuccesses() >= gate.consecutiveSuccesses()) {
      return GateOutcome.passed(
          gate, "held " + o.consecutiveSuccesses() + " measurement(s) in a row" + last);
    }
    return GateOutcome.pending(
        gate,
        o.consecutiveSuccesses()
            + "/"
            + gate.consecutiveSuccesses()
            + " successes in a row, "
            + o.failures()
            + " failure(s) of "
            + gate.failureLimit()
            + " tolerated"
            + last);
  }

  private static GateOutcome approval(GateCheck gate, GateContext ctx) {
    ApprovalRecord a = ctx.approval();
    if (a == null) {
      return GateOutcome.pending(
          gate, "waiting for an Approval of the run, the stage or the Target");
    }
    return a.decision() == Decision.Approve
        ? GateOutcome.passed(gate, a.describe())
        : GateOutcome.failed(gate, a.describe());
  }

  private static GateOutcome soak(GateCheck.SoakCheck gate, GateContext ctx) {
    Instant until = ctx.soakSince().plus(gate.duration());
    if (ctx.health() != null) {
      var regressed = ctx.health().since(ctx.soakSince());
      if (!regressed.isEmpty()) {
        return GateOutcome.failed(
            gate,
            regressed.size()
                + " Target(s) regressed during the soak since "
                + ctx.soakSince()
                + ": "
                + join(regressed));
      }
    }
    return ctx.now().isBefore(until)
        ? GateOutcome.pending(gate, "soaking " + gate.duration() + " until " + until)
        : GateOutcome.passed(gate, "soaked " + gate.duration() + " since " + ctx.soakSince());
  }

  private static GateOutcome health(GateCheck gate, GateContext ctx) {
    HealthSnapshot h = ctx.health();
    if (h.unhealthy() > 0) {
      return GateOutcome.failed(
          gate,
          h.unhealthy()
              + " earlier Target(s) Degraded or Failed"
              + (h.unhealthyTargets().isEmpty() ? "" : ": " + join(h.unhealthyTargets())));
    }
    if (h.unfinished() > 0) {
      return GateOutcome.pending(gate, h.unfinished() + " earlier Target(s) not Converged yet");
    }
    return GateOutcome.passed(gate, h.converged() + " earlier Target(s) Converged");
  }

  private static String join(java.util.List<HealthSnapshot.Unhealthy> targets) {
    StringBuilder sb = new StringBuilder();
    for (HealthSnapshot.Unhealthy u : targets) {
      sb.append(sb.isEmpty() ? "" : "; ").append(u);
    }
    return sb.toString();
  }

  static GateOutcome timeWindow(GateCheck.TimeWindowCheck gate, Instant now) {
    LocalDateTime local = LocalDateTime.ofInstant(now, gate.zone());
    for (Window deny : gate.deny()) {
      if (deny.contains(local)) {
        return GateOutcome.pending(gate, "inside deny window " + deny + " " + gate.zone());
      }
    }
    if (gate.allow().isEmpty()) {
      return GateOutcome.passed(gate, "outside every deny window");
    }
    for (Window allow : gate.allow()) {
      if (allow.contains(local)) {
        return GateOutcome.passed(gate, "inside allow window " + allow + " " + gate.zone());
      }
    }
    return GateOutcome.pending(
        gate, "outside the allow windows " + gate.allow() + " " + gate.zone());
  }

  private static GateOutcome webhook(GateCheck gate, GateContext ctx) {
    WebhookObservation o = ctx.webhooks().apply(gate.name());
    if (o == null) {
      return GateOutcome.pending(gate, "waiting for the webhook's answer");
    }
    return o.pass() ? GateOutcome.passed(gate, o.message()) : GateOutcome.failed(gate, o.message());
  }
}
