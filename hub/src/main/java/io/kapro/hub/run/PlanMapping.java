package io.kapro.hub.run;

import io.kapro.api.v1alpha2.Gate;
import io.kapro.api.v1alpha2.LabelSelectorRequirement;
import io.kapro.api.v1alpha2.Stage;
import io.kapro.api.v1alpha2.TimeWindow;
import io.kapro.hub.plan.GateSpec;
import io.kapro.hub.plan.LabelSelector;
import io.kapro.hub.plan.PlanSpec;
import io.kapro.hub.plan.SelectorRequirement;
import io.kapro.hub.plan.StageSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps the Plan CRD's spec (a run's plan snapshot) onto the engine's raw plan model. No checks
 * here: the engine's validator reports what is wrong, naming the field.
 */
final class PlanMapping {
  private PlanMapping() {}

  static PlanSpec plan(io.kapro.api.v1alpha2.PlanSpec spec) {
    if (spec == null) {
      return new PlanSpec(List.of(), false);
    }
    List<StageSpec> stages = new ArrayList<>();
    if (spec.getStages() != null) {
      for (Stage s : spec.getStages()) {
        stages.add(s == null ? null : stage(s));
      }
    }
    return new PlanSpec(stages, Boolean.TRUE.equals(spec.getAllowOverlap()));
  }

  private static StageSpec stage(Stage s) {
    String maxUnavailable = null;
    if (s.getMaxUnavailable() != null) {
      var v = s.getMaxUnavailable();
      maxUnavailable = v.getIntVal() != null ? Integer.toString(v.getIntVal()) : v.getStrVal();
    }
    List<GateSpec> gates = new ArrayList<>();
    if (s.getGates() != null) {
      for (Gate g : s.getGates()) {
        gates.add(g == null ? null : gate(g));
      }
    }
    return new StageSpec(
        s.getName(),
        selector(s.getSelector()),
        s.getDependsOn(),
        s.getUnlock() == null ? null : s.getUnlock(),
        s.getRequiredSoakTime(),
        s.getWaves(),
        s.getMaxParallel(),
        maxUnavailable,
        gates,
        s.getOnFailure() == null ? null : s.getOnFailure(),
        s.getTimeout());
  }

  static LabelSelector selector(io.kapro.api.v1alpha2.LabelSelector s) {
    if (s == null) {
      return null;
    }
    List<SelectorRequirement> expressions = new ArrayList<>();
    if (s.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : s.getMatchExpressions()) {
        expressions.add(
            r == null
                ? null
                : new SelectorRequirement(
                    r.getKey(),
                    r.getOperator() == null ? null : r.getOperator().name(),
                    r.getValues()));
      }
    }
    return new LabelSelector(s.getMatchLabels(), expressions);
  }

  private static GateSpec gate(Gate g) {
    GateSpec.SoakSpec soak =
        g.getSoak() == null ? null : new GateSpec.SoakSpec(g.getSoak().getDuration());
    GateSpec.TimeWindowSpec window = null;
    if (g.getTimeWindow() != null) {
      var t = g.getTimeWindow();
      window =
          new GateSpec.TimeWindowSpec(t.getTimeZone(), windows(t.getAllow()), windows(t.getDeny()));
    }
    GateSpec.WebhookSpec webhook = null;
    if (g.getWebhook() != null) {
      var w = g.getWebhook();
      webhook = new GateSpec.WebhookSpec(w.getUrl(), w.getTimeout(), w.getHeaders());
    }
    return new GateSpec(
        g.getName(),
        g.getType() == null ? null : g.getType(),
        g.getWhen() == null ? null : g.getWhen(),
        soak,
        window,
        webhook);
  }

  private static List<GateSpec.WindowSpec> windows(List<TimeWindow> windows) {
    List<GateSpec.WindowSpec> out = new ArrayList<>();
    if (windows != null) {
      for (TimeWindow w : windows) {
        out.add(
            w == null
                ? null
                : new GateSpec.WindowSpec(
                    w.getDays() == null ? null : w.getDays().stream().map(Enum::name).toList(),
                    w.getStart(),
                    w.getEnd()));
      }
    }
    return out;
  }
}
