package io.kapro.agent.apply.flux;

import com.fasterxml.jackson.databind.JsonNode;
import io.kapro.agent.apply.ConvergencePhase;
import io.kapro.agent.apply.Desired;
import io.kapro.agent.apply.Judgement;
import io.kapro.agent.apply.ObservedCondition;
import io.kapro.agent.config.ManagedKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Judges a Flux object (OCIRepository, GitRepository, HelmRelease, Kustomization) by the kstatus
 * rules: converged only when the controller observed the current generation, handled our reconcile
 * request, reports {@code Ready=True} without {@code Reconciling} or {@code Stalled}, and applied
 * the desired revision. {@code Stalled=True} or a terminal {@code Ready=False} reason is Failed;
 * any other {@code Ready=False} is Degraded (Flux keeps retrying). Pure: JSON in, verdict out.
 */
public final class FluxJudge {
  /** {@code Ready=False} reasons after which Flux does not retry on its own. */
  static final Set<String> TERMINAL_REASONS =
      Set.of("RetriesExceeded", "InvalidChartReference", "InvalidSTSConfiguration");

  /** {@code Ready=False} reasons that mean "still working" rather than a problem. */
  static final Set<String> WAITING_REASONS =
      Set.of("Progressing", "ProgressingWithRetry", "DependencyNotReady");

  private FluxJudge() {}

  /** The verdict for {@code object} (the full JSON of the object) against {@code desired}. */
  public static Judgement judge(ManagedKind kind, JsonNode object, Desired desired) {
    JsonNode status = object.path("status");
    List<ObservedCondition> conditions = new ArrayList<>();
    status.path("conditions").forEach(c -> conditions.add(ObservedCondition.of(c)));
    long generation = object.path("metadata").path("generation").asLong(0);
    long observed = status.path("observedGeneration").asLong(-1);
    FluxRevision revision = FluxRevision.of(kind, object, desired);
    String rev = revision.observed();
    if (observed < generation) {
      if (reconcilingAt(status, generation)) {
        return verdict(
            ConvergencePhase.PROGRESSING, rev, "reconciling generation " + generation, conditions);
      }
      return verdict(
          ConvergencePhase.APPLIED,
          rev,
          "controller has not observed generation "
              + generation
              + " yet (observed "
              + Math.max(observed, 0)
              + ")",
          conditions);
    }
    String handled = status.path("lastHandledReconcileAt").asText("");
    if (!desired.requestedAt().isEmpty() && !desired.requestedAt().equals(handled)) {
      return verdict(
          ConvergencePhase.APPLIED,
          rev,
          "reconcile request " + desired.requestedAt() + " not handled yet",
          conditions);
    }
    Optional<ObservedCondition> stalled = find(conditions, "Stalled", "True");
    if (stalled.isPresent()) {
      return verdict(ConvergencePhase.FAILED, rev, describe(stalled.get()), conditions);
    }
    Optional<ObservedCondition> reconciling = find(conditions, "Reconciling", "True");
    if (reconciling.isPresent()) {
      return verdict(ConvergencePhase.PROGRESSING, rev, describe(reconciling.get()), conditions);
    }
    Optional<ObservedCondition> ready =
        conditions.stream().filter(c -> c.type().equals("Ready")).findFirst();
    if (ready.isEmpty() || ready.get().status().equals("Unknown")) {
      return verdict(
          ConvergencePhase.PROGRESSING,
          rev,
          ready.map(FluxJudge::describe).orElse("no Ready condition yet"),
          conditions);
    }
    ObservedCondition r = ready.get();
    if (r.status().equals("False")) {
      ConvergencePhase phase =
          TERMINAL_REASONS.contains(r.reason())
              ? ConvergencePhase.FAILED
              : WAITING_REASONS.contains(r.reason())
                  ? ConvergencePhase.PROGRESSING
                  : ConvergencePhase.DEGRADED;
      return verdict(phase, rev, describe(r), conditions);
    }
    if (!r.status().equals("True")) {
      return verdict(ConvergencePhase.PROGRESSING, rev, describe(r), conditions);
    }
    if (revision.mismatch().isPresent()) {
      return verdict(
          ConvergencePhase.DEGRADED, rev, "Ready, but " + revision.mismatch().get(), conditions);
    }
    return verdict(
        ConvergencePhase.CONVERGED,
        rev,
        r.message().isEmpty() ? "Ready at " + rev : r.message(),
        conditions);
  }

  /** {@code Reconciling=True} recorded for {@code generation}: the controller works on our spec. */
  private static boolean reconcilingAt(JsonNode status, long generation) {
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText("").equals("Reconciling")
          && c.path("status").asText("").equals("True")
          && c.path("observedGeneration").asLong(-1) == generation) {
        return true;
      }
    }
    return false;
  }

  private static Optional<ObservedCondition> find(
      List<ObservedCondition> conditions, String type, String status) {
    return conditions.stream()
        .filter(c -> c.type().equals(type) && c.status().equals(status))
        .findFirst();
  }

  private static String describe(ObservedCondition c) {
    return c.type()
        + "="
        + c.status()
        + (c.reason().isEmpty() ? "" : " (" + c.reason() + ")")
        + (c.message().isEmpty() ? "" : ": " + c.message());
  }

  private static Judgement verdict(
      ConvergencePhase phase, String revision, String message, List<ObservedCondition> conditions) {
    return new Judgement(phase, revision, message, conditions);
  }
}
