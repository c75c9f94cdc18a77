package io.kapro.hub.engine.plan;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.kapro.api.Durations;
import io.kapro.api.v1alpha2.GateWhen;
import io.kapro.api.v1alpha2.MetricsGate;
import io.kapro.api.v1alpha2.OnFailure;
import io.kapro.api.v1alpha2.PlanSpec;
import io.kapro.api.v1alpha2.Stage;
import io.kapro.api.v1alpha2.TimeWindow;
import io.kapro.api.v1alpha2.TimeWindowGate;
import io.kapro.api.v1alpha2.Unlock;
import io.kapro.api.v1alpha2.Unreachable;
import io.kapro.api.v1alpha2.Weekday;
import io.kapro.api.validation.SpecValidator;
import io.kapro.api.validation.Violation;
import io.kapro.hub.gate.GateCheck;
import io.kapro.hub.gate.Threshold;
import io.kapro.hub.gate.Window;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a Plan's spec into the engine's {@link CompiledPlan}. The checks are {@link
 * SpecValidator}'s, the same the CLI runs, so the hub and {@code kapro} cannot disagree about
 * whether a Plan is valid; this class only reads what the validator has accepted (defaults filled
 * in, every string parsed) and has no rules of its own.
 */
public final class PlanCompiler {
  private PlanCompiler() {}

  /** The compiled plan, or every violation with its field path (e.g. {@code spec.stages[1]}). */
  public static PlanValidation compile(PlanSpec spec) {
    List<Violation> violations = SpecValidator.validatePlan(spec);
    if (!violations.isEmpty()) {
      return new PlanValidation.Invalid(violations);
    }
    List<StagePlan> stages = new ArrayList<>();
    for (int i = 0; i < spec.getStages().size(); i++) {
      stages.add(stage(i, spec.getStages().get(i)));
    }
    return new PlanValidation.Valid(
        new CompiledPlan(
            stages,
            DependencyGraph.topologicalOrder(stages),
            Boolean.TRUE.equals(spec.getAllowOverlap())));
  }

  private static StagePlan stage(int i, Stage s) {
    List<GateCheck> gates = new ArrayList<>();
    if (s.getGates() != null) {
      s.getGates().forEach(g -> gates.add(gate(g)));
    }
    return new StagePlan(
        i,
        s.getName(),
        s.getSelector(),
        s.getDependsOn() == null ? List.of() : s.getDependsOn(),
        s.getUnlock() == null ? Unlock.All : s.getUnlock(),
        duration(s.getRequiredSoakTime(), Duration.ZERO),
        s.getWaves() == null ? List.of(new WaveStep(100, true)) : waves(s.getWaves()),
        s.getMaxParallel() == null ? Integer.MAX_VALUE : s.getMaxParallel(),
        maxUnavailable(s.getMaxUnavailable()),
        gates,
        s.getOnFailure() == null ? OnFailure.Halt : s.getOnFailure(),
        duration(s.getTimeout(), StagePlan.DEFAULT_TIMEOUT),
        s.getUnreachable() == null ? Unreachable.Wait : s.getUnreachable(),
        duration(s.getMaxWait(), StagePlan.DEFAULT_MAX_WAIT));
  }

  private static GateCheck gate(io.kapro.api.v1alpha2.Gate g) {
    GateWhen when = g.getWhen() == null ? GateWhen.BeforeStage : g.getWhen();
    return switch (g.getType()) {
      case Approval -> new GateCheck.ApprovalCheck(g.getName(), when);
      case Health -> new GateCheck.HealthCheck(g.getName(), when);
      case Soak ->
          new GateCheck.SoakCheck(g.getName(), when, Durations.parse(g.getSoak().getDuration()));
      case TimeWindow -> timeWindow(g.getName(), when, g.getTimeWindow());
      case Webhook -> {
        var w = g.getWebhook();
        yield new GateCheck.WebhookCheck(
            g.getName(),
            when,
            w.getUrl(),
            duration(w.getTimeout(), GateCheck.WebhookCheck.DEFAULT_TIMEOUT),
            w.getHeaders() == null ? Map.of() : w.getHeaders());
      }
      case Metrics -> metrics(g.getName(), when, g.getMetrics());
    };
  }

  private static GateCheck metrics(String name, GateWhen when, MetricsGate m) {
    return new GateCheck.MetricsCheck(
        name,
        when,
        m.getAddress(),
        m.getQuery(),
        new Threshold(
            m.getSuccessCondition().getOperator(), m.getSuccessCondition().getThreshold()),
        duration(m.getInterval(), GateCheck.MetricsCheck.DEFAULT_INTERVAL),
        m.getConsecutiveSuccesses() == null
            ? GateCheck.MetricsCheck.DEFAULT_CONSECUTIVE_SUCCESSES
            : m.getConsecutiveSuccesses(),
        m.getFailureLimit() == null ? 0 : m.getFailureLimit(),
        duration(m.getTimeout(), GateCheck.MetricsCheck.DEFAULT_TIMEOUT),
        m.getSecretRef() == null ? null : m.getSecretRef().getName());
  }

  private static GateCheck timeWindow(String name, GateWhen when, TimeWindowGate t) {
    ZoneId zone = ZoneId.of(t.getTimeZone() == null ? "UTC" : t.getTimeZone());
    return new GateCheck.TimeWindowCheck(
        name, when, zone, windows(t.getAllow()), windows(t.getDeny()));
  }

  private static List<Window> windows(List<TimeWindow> windows) {
    List<Window> out = new ArrayList<>();
    if (windows != null) {
      for (TimeWindow w : windows) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        if (w.getDays() == null || w.getDays().isEmpty()) {
          days = EnumSet.allOf(DayOfWeek.class);
        } else {
          for (Weekday d : w.getDays()) {
            days.add(DayOfWeek.of(d.ordinal() + 1));
          }
        }
        out.add(new Window(days, minute(w.getStart()), minute(w.getEnd())));
      }
    }
    return out;
  }

  private static int minute(String hhmm) {
    return Integer.parseInt(hhmm.substring(0, 2)) * 60 + Integer.parseInt(hhmm.substring(3));
  }

  private static List<WaveStep> waves(List<String> waves) {
    return waves.stream().map(WaveStep::parse).toList();
  }

  private static MaxUnavailable maxUnavailable(IntOrString v) {
    if (v == null) {
      return new MaxUnavailable(0, false);
    }
    if (v.getIntVal() != null) {
      return new MaxUnavailable(v.getIntVal(), false);
    }
    String s = v.getStrVal();
    return new MaxUnavailable(Integer.parseInt(s.substring(0, s.length() - 1)), true);
  }

  private static Duration duration(String text, Duration fallback) {
    return text == null ? fallback : Durations.parse(text);
  }
}
