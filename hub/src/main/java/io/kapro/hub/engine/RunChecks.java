package io.kapro.hub.engine;

import io.kapro.api.validation.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks the run's own inputs (the units it promotes) before the engine acts on them. */
final class RunChecks {
  private RunChecks() {}

  static List<Violation> problems(RunState run) {
    List<Violation> problems = new ArrayList<>();
    if (run.units().isEmpty()) {
      problems.add(new Violation("spec.units", "at least one unit with a version is required"));
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < run.units().size(); i++) {
      DesiredVersion u = run.units().get(i);
      String f = "spec.units[" + i + "]";
      if (u == null || u.name() == null || u.name().isBlank()) {
        problems.add(new Violation(f + ".name", "required"));
      } else if (!seen.add(u.name())) {
        problems.add(new Violation(f + ".name", "unit \"" + u.name() + "\" is listed twice"));
      }
      if (u != null && (u.version() == null || u.version().isBlank())) {
        problems.add(new Violation(f + ".version", "required"));
      }
    }
    return problems;
  }
}
