package io.kapro.hub.gate;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;

/**
 * Evaluates one gate for one Target. Pure: everything it reads comes in the {@link GateContext}.
 */
public final class GateEvaluator {
  private GateEvaluator() {}

  public static GateResult evaluate(Gate gate, GateContext ctx) {
    return switch (gate) {
      case Gate.ApprovalGate g -> approval(g, ctx);
      case Gate.SoakGate g -> soak(g, ctx);
      case Gate.HealthGate g -> health(g, ctx);
      case Gate.TimeWindowGate g -> timeWindow(g, ctx.now());
      case Gate.WebhookGate g -> webhook(g, ctx);
    };
  }

  /** When a pending gate could change by the clock alone (soak ends), if it can. */
  public static Optional<Instant> wakeAt(Gate gate, GateContext ctx) {
    return switch (gate) {
      case Gate.SoakGate g -> Optional.of(ctx.soakSince().plus(g.duration()));
      // A window opens or closes on a minute boundary at the earliest.
      case Gate.TimeWindowGate g ->
          Optional.of(ctx.now().plusSeconds(60 - ctx.now().getEpochSecond() % 60));
      default -> Optional.empty();
    };
  }

  private static GateResult approval(Gate gate, GateContext ctx) {
    ApprovalRecord a = ctx.approval();
    if (a == null) {
      return GateResult.pending(
          gate, "waiting for an Approval of the run, the stage or the Target");
    }
    return a.decision() == ApprovalDecision.Approve
        ? GateResult.passed(gate, a.describe())
        : GateResult.failed(gate, a.describe());
  }

  private static GateResult soak(Gate.SoakGate gate, GateContext ctx) {
    Instant until = ctx.soakSince().plus(gate.duration());
    if (ctx.health() != null) {
      var regressed = ctx.health().since(ctx.soakSince());
      if (!regressed.isEmpty()) {
        return GateResult.failed(
            gate,
            regressed.size()
                + " Target(s) regressed during the soak since "
                + ctx.soakSince()
                + ": "
                + join(regressed));
      }
    }
    return ctx.now().isBefore(until)
        ? GateResult.pending(gate, "soaking " + gate.duration() + " until " + until)
        : GateResult.passed(gate, "soaked " + gate.duration() + " since " + ctx.soakSince());
  }

  private static GateResult health(Gate gate, GateContext ctx) {
    HealthSnapshot h = ctx.health();
    if (h.unhealthy() > 0) {
      return GateResult.failed(
          gate,
          h.unhealthy()
              + " earlier Target(s) Degraded or Failed"
              + (h.unhealthyTargets().isEmpty() ? "" : ": " + join(h.unhealthyTargets())));
    }
    if (h.unfinished() > 0) {
      return GateResult.pending(gate, h.unfinished() + " earlier Target(s) not Converged yet");
    }
    return GateResult.passed(gate, h.converged() + " earlier Target(s) Converged");
  }

  private static String join(java.util.List<HealthSnapshot.Unhealthy> targets) {
    StringBuilder sb = new StringBuilder();
    for (HealthSnapshot.Unhealthy u : targets) {
      sb.append(sb.isEmpty() ? "" : "; ").append(u);
    }
    return sb.toString();
  }

  static GateResult timeWindow(Gate.TimeWindowGate gate, Instant now) {
    LocalDateTime local = LocalDateTime.ofInstant(now, gate.zone());
    for (Window deny : gate.deny()) {
      if (deny.contains(local)) {
        return GateResult.pending(gate, "inside deny window " + deny + " " + gate.zone());
      }
    }
    if (gate.allow().isEmpty()) {
      return GateResult.passed(gate, "outside every deny window");
    }
    for (Window allow : gate.allow()) {
      if (allow.contains(local)) {
        return GateResult.passed(gate, "inside allow window " + allow + " " + gate.zone());
      }
    }
    return GateResult.pending(
        gate, "outside the allow windows " + gate.allow() + " " + gate.zone());
  }

  private static GateResult webhook(Gate gate, GateContext ctx) {
    WebhookObservation o = ctx.webhooks().apply(gate.name());
    if (o == null) {
      return GateResult.pending(gate, "waiting for the webhook's answer");
    }
    return o.pass() ? GateResult.passed(gate, o.message()) : GateResult.failed(gate, o.message());
  }
}
