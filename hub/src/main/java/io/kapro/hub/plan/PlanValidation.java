package io.kapro.hub.plan;

import java.util.List;

/** The validator's answer: a compiled plan, or every problem found. */
public sealed interface PlanValidation {
  /** The plan is usable. */
  record Valid(CompiledPlan plan) implements PlanValidation {}

  /** The plan is not usable; nothing should be applied. */
  record Invalid(List<PlanProblem> problems) implements PlanValidation {
    public Invalid {
      problems = List.copyOf(problems);
    }

    /** One line per problem, for a condition message. */
    public String message() {
      return String.join("; ", problems.stream().map(PlanProblem::toString).toList());
    }
  }
}
