package io.kapro.hub.engine.plan;

import io.kapro.api.validation.SpecValidator;
import io.kapro.api.validation.Violation;
import java.util.List;

/** The compiler's answer: a compiled plan, or every violation found. */
public sealed interface PlanValidation {
  /** The plan is usable. */
  record Valid(CompiledPlan plan) implements PlanValidation {}

  /** The plan is not usable; nothing should be applied. */
  record Invalid(List<Violation> violations) implements PlanValidation {
    public Invalid {
      violations = List.copyOf(violations);
    }

    /** One line for a condition message: {@code path: message; path: message}. */
    public String message() {
      return SpecValidator.describe(violations);
    }
  }
}
