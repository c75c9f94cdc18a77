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
 * Judges a Flux object (OCIRepository, GitRepository, HelmRelease, Kustomization) in the order the
 * upstream tools decide, first rule that speaks wins (the table is in {@code docs/concepts.md}):
 *
 * <ol>
 *   <li>kstatus: {@code metadata.deletionTimestamp} set → Terminating (Degraded, "being deleted");
 *   <li>Flux: {@code spec.suspend: true} → the controller applies nothing (Degraded, "suspended"),
 *       whatever it stamped on the status;
 *   <li>kstatus / flux2 readiness: {@code status.observedGeneration} behind {@code
 *       metadata.generation}, or missing → not observed yet (Applied, or Progressing when {@code
 *       Reconciling=True} was recorded for this generation);
 *   <li>flux2 readiness: the {@code Ready} condition's own {@code observedGeneration} (when set)
 *       behind the generation → not for our spec yet;
 *   <li>flux2 reconcile: our {@code reconcile.fluxcd.io/requestedAt} token not yet in {@code
 *       status.lastHandledReconcileAt} → Applied;
 *   <li>kstatus: the first of {@code Reconciling=True} (Progressing) / {@code Stalled=True}
 *       (Failed) in condition order;
 *   <li>Flux {@code Ready}: missing or Unknown → Progressing; False → Failed for terminal reasons,
 *       Progressing for waiting reasons, else Degraded (Flux retries);
 *   <li>the revision the controller applied or fetched is the desired one ({@link FluxRevision}),
 *       else Degraded.
 * </ol>
 *
 * Pure: JSON in, verdict out.
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
    JsonNode metadata = object.path("metadata");
    JsonNode status = object.path("status");
    List<ObservedCondition> conditions = new ArrayList<>();
    status.path("conditions").forEach(c -> conditions.add(ObservedCondition.of(c)));
    long generation = metadata.path("generation").asLong(0);
    FluxRevision revision = FluxRevision.of(kind, object, desired);
    String rev = revision.observed();

    String deletion = metadata.path("deletionTimestamp").asText("");
    if (!deletion.isEmpty()) {
      return verdict(
          ConvergencePhase.DEGRADED,
          rev,
          "being deleted (deletionTimestamp "
              + deletion
              + "): kstatus reports Terminating; the desired revision will not be applied",
          conditions);
    }
    if (object.path("spec").path("suspend").asBoolean(false)) {
      return verdict(
          ConvergencePhase.DEGRADED,
          rev,
          kind.kind()
              + " is suspended (spec.suspend: true): Flux does not reconcile it until it is"
              + " resumed, so the desired revision is not applied",
          conditions);
    }
    JsonNode observedNode = status.path("observedGeneration");
    long observed = observedNode.isIntegralNumber() ? observedNode.asLong() : -1;
    if (observed != generation || observed < 1) {
      if (reconcilingAt(status, generation)) {
        return verdict(
            ConvergencePhase.PROGRESSING, rev, "reconciling generation " + generation, conditions);
      }
      return verdict(
          ConvergencePhase.APPLIED,
          rev,
          observed < 0
              ? "controller has not observed generation " + generation + " yet (not reconciled)"
              : "controller has not observed generation "
                  + generation
                  + " yet (observed "
                  + observed
                  + ")",
          conditions);
    }
    JsonNode readyNode = condition(status, "Ready");
    long readyGeneration = readyNode.path("observedGeneration").asLong(0);
    if (readyGeneration != 0 && readyGeneration != generation) {
      return verdict(
          ConvergencePhase.APPLIED,
          rev,
          "the Ready condition is for generation "
              + readyGeneration
              + ", not the current "
              + generation,
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
    for (ObservedCondition c : conditions) {
      if (c.type().equals("Reconciling") && c.status().equals("True")) {
        return verdict(ConvergencePhase.PROGRESSING, rev, describe(c), conditions);
      }
      if (c.type().equals("Stalled") && c.status().equals("True")) {
        return verdict(ConvergencePhase.FAILED, rev, describe(c), conditions);
      }
    }
    Optional<ObservedCondition> ready =
        conditions.stream().filter(c -> c.type().equals("Ready")).findFirst();
    if (ready.isEmpty() || !Set.of("True", "False").contains(ready.get().status())) {
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
    JsonNode c = condition(status, "Reconciling");
    return c.path("status").asText("").equals("True")
        && c.path("observedGeneration").asLong(-1) == generation;
  }

  private static JsonNode condition(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText("").equals(type)) {
        return c;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
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
