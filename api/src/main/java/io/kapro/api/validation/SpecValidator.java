package io.kapro.api.validation;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kapro.api.KaproApiException;
import io.kapro.api.v1alpha2.Approval;
import io.kapro.api.v1alpha2.ApprovalSpec;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.FleetSpec;
import io.kapro.api.v1alpha2.FleetUnit;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.api.v1alpha2.PlanSpec;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionSpec;
import io.kapro.api.v1alpha2.UnitVersion;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Validates Kapro specs beyond what the CRD schema can: dependency cycles, unknown and self
 * dependencies, duplicate names, wave syntax, durations, exactly one of registry/layout, unit
 * fields that suit the unit's kind. Pure Java, no API calls. Every violation is returned with the
 * field path (e.g. {@code spec.stages[2].dependsOn[0]}) and a message that says the fix; the hub
 * sets {@code Ready=False, reason=InvalidSpec} with {@link #describe(List)} when the list is not
 * empty.
 */
public final class SpecValidator {
  private SpecValidator() {}

  /** Validates a Fleet's spec. */
  public static List<Violation> validate(Fleet fleet) {
    return validateFleet(fleet.getSpec());
  }

  /** Validates a Plan's spec. */
  public static List<Violation> validate(Plan plan) {
    return validatePlan(plan.getSpec());
  }

  /**
   * Validates a Promotion's spec on its own (see {@link #validatePromotion(PromotionSpec,
   * FleetSpec)}).
   */
  public static List<Violation> validate(Promotion promotion) {
    return validatePromotion(promotion.getSpec());
  }

  /** Validates an Approval's spec. */
  public static List<Violation> validate(Approval approval) {
    return validateApproval(approval.getSpec());
  }

  /**
   * Validates any Kapro object whose spec has rules (Fleet, Plan, Promotion, Approval); other kinds
   * have none and give an empty list.
   */
  public static List<Violation> validate(HasMetadata resource) {
    return switch (resource) {
      case Fleet f -> validate(f);
      case Plan p -> validate(p);
      case Promotion p -> validate(p);
      case Approval a -> validate(a);
      default -> List.of();
    };
  }

  /** Validates a Fleet spec; paths start with {@code spec}. */
  public static List<Violation> validateFleet(FleetSpec spec) {
    Problems p = new Problems();
    FleetRules.check(p, "spec", spec);
    return p.list();
  }

  /** Validates a Plan spec; paths start with {@code spec}. */
  public static List<Violation> validatePlan(PlanSpec spec) {
    Problems p = new Problems();
    PlanRules.check(p, "spec", spec);
    return p.list();
  }

  /** Validates a Promotion spec on its own; paths start with {@code spec}. */
  public static List<Violation> validatePromotion(PromotionSpec spec) {
    Problems p = new Problems();
    promotion(p, spec);
    return p.list();
  }

  /**
   * Validates a Promotion spec and that every unit it names is declared by the fleet.
   *
   * @param spec the promotion
   * @param fleet the spec of the Fleet named by {@code spec.fleet}
   */
  public static List<Violation> validatePromotion(PromotionSpec spec, FleetSpec fleet) {
    Problems p = new Problems();
    promotion(p, spec);
    if (spec != null && spec.getUnits() != null && fleet != null && fleet.getUnits() != null) {
      Set<String> known =
          fleet.getUnits().stream()
              .map(FleetUnit::getName)
              .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
      for (int i = 0; i < spec.getUnits().size(); i++) {
        UnitVersion u = spec.getUnits().get(i);
        if (u != null && u.getName() != null && !known.contains(u.getName())) {
          p.add(
              "spec.units[" + i + "].name",
              "fleet "
                  + spec.getFleet()
                  + " has no unit \""
                  + u.getName()
                  + "\"; name one of "
                  + known);
        }
      }
    }
    return p.list();
  }

  /** Validates an Approval spec; paths start with {@code spec}. */
  public static List<Violation> validateApproval(ApprovalSpec spec) {
    Problems p = new Problems();
    if (p.required("spec", spec, "run, decision and approver")) {
      if (p.required("spec.run", spec.getRun(), "the PromotionRun this decision is for")) {
        p.objectName("spec.run", spec.getRun());
      }
      p.dnsLabel("spec.stage", spec.getStage());
      p.objectName("spec.target", spec.getTarget());
      p.required("spec.decision", spec.getDecision(), "Approve or Reject");
      p.required("spec.approver", spec.getApprover(), "who decided, e.g. a user name or e-mail");
    }
    return p.list();
  }

  /** One line for a condition message: {@code path: message; path: message}. */
  public static String describe(List<Violation> violations) {
    return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
  }

  /**
   * Throws when the object's spec is invalid.
   *
   * @throws KaproApiException with reason INVALID_SPEC and {@link #describe(List)} as message
   */
  public static void requireValid(HasMetadata resource) {
    List<Violation> v = validate(resource);
    if (!v.isEmpty()) {
      throw new KaproApiException(
          KaproApiException.Reason.INVALID_SPEC,
          resource.getKind() + " " + resource.getMetadata().getName() + ": " + describe(v));
    }
  }

  private static void promotion(Problems p, PromotionSpec spec) {
    if (!p.required("spec", spec, "fleet, plan and units")) {
      return;
    }
    if (p.required("spec.fleet", spec.getFleet(), "the name of a Fleet in this namespace")) {
      p.objectName("spec.fleet", spec.getFleet());
    }
    if (p.required("spec.plan", spec.getPlan(), "the name of a Plan in this namespace")) {
      p.objectName("spec.plan", spec.getPlan());
    }
    List<UnitVersion> units = spec.getUnits();
    if (units == null || units.isEmpty()) {
      p.add("spec.units", "must list at least one unit: {name, version}");
      return;
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < units.size(); i++) {
      String at = "spec.units[" + i + "]";
      UnitVersion u = units.get(i);
      if (!p.required(at, u, "name and version")) {
        continue;
      }
      if (p.required(at + ".name", u.getName(), "a unit of the fleet")) {
        p.dnsLabel(at + ".name", u.getName());
        Integer first = seen.putIfAbsent(u.getName(), i);
        if (first != null) {
          p.add(
              at + ".name",
              "unit \""
                  + u.getName()
                  + "\" is listed twice (also spec.units["
                  + first
                  + "]); list each unit once");
        }
      }
      if (p.required(at + ".version", u.getVersion(), "the version to promote, e.g. 1.2.3")
          && (u.getVersion().length() > 256 || !u.getVersion().matches("^\\S+$"))) {
        p.add(
            at + ".version",
            "\"" + u.getVersion() + "\" is not a version: no spaces, at most 256 characters");
      }
    }
  }
}
