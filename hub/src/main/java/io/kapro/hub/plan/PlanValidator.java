package io.kapro.hub.plan;

import io.kapro.api.v1alpha2.OnFailure;
import io.kapro.api.v1alpha2.Unlock;
import io.kapro.hub.gate.Gate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a raw plan and compiles it. Reports every problem at once, each with its field path and a
 * fix, so one round trip is enough to repair a plan. The one place plan semantics are validated on
 * the hub side.
 */
public final class PlanValidator {
  /** Stage names end up in Target names and label values: RFC 1123 labels. */
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private static final int MAX_STAGES = 100;
  private static final int MAX_WAVES = 100;

  private PlanValidator() {}

  public static PlanValidation validate(PlanSpec spec) {
    List<PlanProblem> problems = new ArrayList<>();
    if (spec == null) {
      return new PlanValidation.Invalid(
          List.of(new PlanProblem("spec", "a plan spec is required")));
    }
    List<StageSpec> raw = spec.stages();
    if (raw.isEmpty()) {
      problems.add(new PlanProblem("spec.stages", "at least one stage is required"));
    } else if (raw.size() > MAX_STAGES) {
      problems.add(new PlanProblem("spec.stages", "at most " + MAX_STAGES + " stages are allowed"));
    }
    Map<String, Integer> indexByName = names(raw, problems);
    List<StagePlan> compiled = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      StagePlan s = stage(i, raw.get(i), indexByName, problems);
      if (s != null) {
        compiled.add(s);
      }
    }
    List<StagePlan> topo = List.of();
    if (problems.isEmpty()) {
      topo = DependencyGraph.topologicalOrder(compiled, problems);
    }
    if (!problems.isEmpty()) {
      return new PlanValidation.Invalid(problems);
    }
    return new PlanValidation.Valid(new CompiledPlan(compiled, topo, spec.allowOverlap()));
  }

  private static Map<String, Integer> names(List<StageSpec> raw, List<PlanProblem> problems) {
    Map<String, Integer> indexByName = new HashMap<>();
    for (int i = 0; i < raw.size(); i++) {
      String field = "spec.stages[" + i + "]";
      StageSpec s = raw.get(i);
      if (s == null) {
        problems.add(new PlanProblem(field, "a stage must not be null"));
        continue;
      }
      String name = s.name();
      if (name == null || name.isBlank()) {
        problems.add(new PlanProblem(field + ".name", "required"));
      } else if (!DNS_LABEL.matcher(name).matches()) {
        problems.add(
            new PlanProblem(
                field + ".name",
                "\""
                    + Durations.shorten(name)
                    + "\" is not a DNS label (lower-case letters, digits"
                    + " and '-', at most 63 characters)"));
      } else if (indexByName.containsKey(name)) {
        problems.add(
            new PlanProblem(
                field + ".name",
                "duplicate stage name \""
                    + name
                    + "\" (also spec.stages["
                    + indexByName.get(name)
                    + "].name); stage names must be unique"));
      } else {
        indexByName.put(name, i);
      }
    }
    return indexByName;
  }

  private static StagePlan stage(
      int i, StageSpec s, Map<String, Integer> indexByName, List<PlanProblem> problems) {
    if (s == null) {
      return null;
    }
    String field = "spec.stages[" + i + "]";
    int before = problems.size();
    SelectorChecks.check(field + ".selector", s.selector(), problems);
    List<String> deps = dependencies(field, s, indexByName, problems);
    Duration soak =
        duration(field + ".requiredSoakTime", s.requiredSoakTime(), Duration.ZERO, problems);
    Duration timeout =
        duration(field + ".timeout", s.timeout(), StagePlan.DEFAULT_TIMEOUT, problems);
    if (timeout != null && timeout.isZero()) {
      problems.add(new PlanProblem(field + ".timeout", "must be longer than 0s"));
    }
    List<WaveStep> waves = waves(field + ".waves", s.waves(), problems);
    if (s.maxParallel() != null && s.maxParallel() < 1) {
      problems.add(
          new PlanProblem(
              field + ".maxParallel", "must be at least 1 (leave it out for no limit)"));
    }
    MaxUnavailable maxUnavailable = null;
    try {
      maxUnavailable = MaxUnavailable.parse(s.maxUnavailable());
    } catch (IllegalArgumentException e) {
      problems.add(new PlanProblem(field + ".maxUnavailable", e.getMessage()));
    }
    List<Gate> gates = GateCompiler.compileAll(field + ".gates", s.gates(), problems);
    if (problems.size() > before) {
      return null;
    }
    return new StagePlan(
        i,
        s.name(),
        s.selector(),
        deps,
        s.unlock() == null ? Unlock.All : s.unlock(),
        soak,
        waves,
        s.maxParallel() == null ? Integer.MAX_VALUE : s.maxParallel(),
        maxUnavailable,
        gates,
        s.onFailure() == null ? OnFailure.Halt : s.onFailure(),
        timeout);
  }

  private static List<String> dependencies(
      String field, StageSpec s, Map<String, Integer> indexByName, List<PlanProblem> problems) {
    Set<String> seen = new HashSet<>();
    for (int k = 0; k < s.dependsOn().size(); k++) {
      String dep = s.dependsOn().get(k);
      String f = field + ".dependsOn[" + k + "]";
      if (dep == null || dep.isBlank()) {
        problems.add(new PlanProblem(f, "must name a stage"));
      } else if (dep.equals(s.name())) {
        problems.add(new PlanProblem(f, "stage \"" + dep + "\" cannot depend on itself"));
      } else if (!indexByName.containsKey(dep)) {
        problems.add(
            new PlanProblem(
                f,
                "unknown stage \""
                    + Durations.shorten(dep)
                    + "\"; known stages: "
                    + indexByName.keySet().stream().sorted().toList()));
      } else if (!seen.add(dep)) {
        problems.add(new PlanProblem(f, "\"" + dep + "\" is listed twice"));
      }
    }
    return s.dependsOn();
  }

  private static Duration duration(
      String field, String text, Duration fallback, List<PlanProblem> problems) {
    if (text == null) {
      return fallback;
    }
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      problems.add(new PlanProblem(field, e.getMessage()));
      return null;
    }
  }

  /**
   * Counts first, then cumulative percentages, each larger than the one before, the last "100%".
   */
  private static List<WaveStep> waves(String field, List<String> raw, List<PlanProblem> problems) {
    if (raw.isEmpty()) {
      return List.of(new WaveStep(100, true));
    }
    if (raw.size() > MAX_WAVES) {
      problems.add(new PlanProblem(field, "at most " + MAX_WAVES + " waves are allowed"));
      return List.of();
    }
    List<WaveStep> steps = new ArrayList<>();
    WaveStep lastCount = null;
    WaveStep lastPercent = null;
    boolean syntaxOk = true;
    for (int k = 0; k < raw.size(); k++) {
      String f = field + "[" + k + "]";
      WaveStep step;
      try {
        step = WaveStep.parse(raw.get(k));
      } catch (IllegalArgumentException e) {
        problems.add(new PlanProblem(f, e.getMessage()));
        syntaxOk = false;
        continue;
      }
      WaveStep last = step.percent() ? lastPercent : lastCount;
      if (!step.percent() && lastPercent != null) {
        problems.add(
            new PlanProblem(
                f,
                "\""
                    + step
                    + "\" is a count after a percentage; list counts first, then percentages"));
      } else if (last != null && step.value() <= last.value()) {
        problems.add(
            new PlanProblem(
                f, "waves are cumulative: \"" + step + "\" must be larger than \"" + last + "\""));
      }
      if (step.percent()) {
        lastPercent = step;
      } else {
        lastCount = step;
      }
      steps.add(step);
    }
    if (syntaxOk && !"100%".equals(raw.get(raw.size() - 1))) {
      problems.add(
          new PlanProblem(
              field + "[" + (raw.size() - 1) + "]",
              "the last wave must be \"100%\" so that every cluster of the stage is reached;"
                  + " append \"100%\""));
    }
    return steps;
  }
}
