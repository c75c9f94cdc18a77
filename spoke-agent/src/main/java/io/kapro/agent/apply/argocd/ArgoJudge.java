package io.kapro.agent.apply.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import io.kapro.agent.apply.ConvergencePhase;
import io.kapro.agent.apply.Desired;
import io.kapro.agent.apply.ImageRefs;
import io.kapro.agent.apply.Judgement;
import io.kapro.agent.apply.ObservedCondition;
import io.kapro.agent.config.FieldPath;
import io.kapro.oci.bundle.FieldSet;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges an Argo CD Application in the order {@code argocd app wait} decides (the table is in
 * {@code docs/concepts.md}), first rule that speaks wins:
 *
 * <ol>
 *   <li>{@code metadata.deletionTimestamp} set → being deleted (Degraded): a wait for sync and
 *       health is never satisfied while the Application is deleted;
 *   <li>an {@code operation} requested but not started → Applied;
 *   <li>{@code status.operationState} without {@code finishedAt}, or phase {@code Running} / {@code
 *       Terminating} → in flight (Progressing);
 *   <li>our sync operation ended {@code Failed} / {@code Error} → Failed;
 *   <li>the {@code argocd.argoproj.io/refresh} annotation still present, or {@code reconciledAt}
 *       older than the patch → Argo CD has not refreshed yet (Applied);
 *   <li>an {@code *Error} condition (e.g. {@code ComparisonError}) → Degraded;
 *   <li>{@code comparedTo} and {@code status.sync.revision(s)} (multi-source too) not at the
 *       desired source fields / revisions → Progressing;
 *   <li>health {@code Degraded} → Degraded;
 *   <li>sync not {@code Synced}, health not {@code Healthy} ({@code Progressing}, {@code Missing},
 *       {@code Suspended}, {@code Unknown}) → Progressing;
 *   <li>{@code reconciledAt} older than the last operation's {@code finishedAt} → Progressing.
 * </ol>
 *
 * Pure: JSON in, verdict out.
 */
public final class ArgoJudge {
  private ArgoJudge() {}

  /** The verdict for the Application {@code app} against {@code desired}. */
  public static Judgement judge(JsonNode app, Desired desired) {
    JsonNode status = app.path("status");
    JsonNode sync = status.path("sync");
    JsonNode health = status.path("health");
    JsonNode op = status.path("operationState");
    String syncStatus = sync.path("status").asText("Unknown");
    String healthStatus = health.path("status").asText("Unknown");
    String revision = revision(sync);
    List<ObservedCondition> conditions = new ArrayList<>();
    conditions.add(new ObservedCondition("Sync", syncStatus, "", "", ""));
    conditions.add(
        new ObservedCondition("Health", healthStatus, "", health.path("message").asText(""), ""));
    status
        .path("conditions")
        .forEach(
            c ->
                conditions.add(
                    new ObservedCondition(
                        c.path("type").asText(""),
                        "True",
                        "",
                        c.path("message").asText(""),
                        c.path("lastTransitionTime").asText(""))));
    Instant applied = desired.appliedAt().truncatedTo(ChronoUnit.SECONDS);
    String phase = op.path("phase").asText("");
    boolean ours = time(op.path("startedAt")).map(t -> !t.isBefore(applied)).orElse(false);

    String deletion = app.path("metadata").path("deletionTimestamp").asText("");
    if (!deletion.isEmpty()) {
      return new Judgement(
          ConvergencePhase.DEGRADED,
          revision,
          "being deleted (deletionTimestamp "
              + deletion
              + "): the Application will not reach the desired revision",
          conditions);
    }
    if (app.has("operation") && !app.get("operation").isNull()) {
      return new Judgement(
          ConvergencePhase.APPLIED,
          revision,
          "sync operation requested, not started yet",
          conditions);
    }
    boolean unfinished = op.isObject() && !op.path("finishedAt").isTextual();
    if (unfinished || phase.equals("Running") || phase.equals("Terminating")) {
      return new Judgement(
          ConvergencePhase.PROGRESSING,
          revision,
          "sync operation "
              + (phase.isEmpty() ? "" : phase + " ")
              + "in flight"
              + (unfinished ? " (no finishedAt yet)" : "")
              + optional(op.path("message").asText("")),
          conditions);
    }
    if (ours && (phase.equals("Failed") || phase.equals("Error"))) {
      return new Judgement(
          ConvergencePhase.FAILED,
          revision,
          "sync operation " + phase + ": " + op.path("message").asText(""),
          conditions);
    }
    boolean refreshPending =
        app.path("metadata").path("annotations").path("argocd.argoproj.io/refresh").isTextual();
    Optional<Instant> reconciledAt = time(status.path("reconciledAt"));
    if (refreshPending || reconciledAt.map(t -> t.isBefore(applied)).orElse(true)) {
      return new Judgement(
          ConvergencePhase.APPLIED,
          revision,
          "Argo CD has not refreshed the application since the patch",
          conditions);
    }
    Optional<ObservedCondition> error =
        conditions.stream().filter(c -> c.type().endsWith("Error")).findFirst();
    if (error.isPresent()) {
      return new Judgement(
          ConvergencePhase.DEGRADED,
          revision,
          error.get().type() + ": " + error.get().message(),
          conditions);
    }
    Optional<String> mismatch =
        comparedMismatch(sync.path("comparedTo"), desired)
            .or(() -> revisionMismatch(app, sync, desired));
    if (mismatch.isPresent()) {
      return new Judgement(ConvergencePhase.PROGRESSING, revision, mismatch.get(), conditions);
    }
    if (healthStatus.equals("Degraded")) {
      return new Judgement(
          ConvergencePhase.DEGRADED,
          revision,
          "health Degraded: " + health.path("message").asText(""),
          conditions);
    }
    if (!syncStatus.equals("Synced")) {
      return new Judgement(
          ConvergencePhase.PROGRESSING, revision, "sync status " + syncStatus, conditions);
    }
    if (!healthStatus.equals("Healthy")) {
      return new Judgement(
          ConvergencePhase.PROGRESSING,
          revision,
          "health " + healthStatus + optional(health.path("message").asText("")),
          conditions);
    }
    Optional<Instant> finished = time(op.path("finishedAt"));
    if (finished.isPresent() && reconciledAt.get().isBefore(finished.get())) {
      return new Judgement(
          ConvergencePhase.PROGRESSING,
          revision,
          "reconciledAt "
              + reconciledAt.get()
              + " is older than the last operation ("
              + finished.get()
              + ")",
          conditions);
    }
    return new Judgement(
        ConvergencePhase.CONVERGED, revision, "Synced and Healthy at " + revision, conditions);
  }

  /** Every source field the bundle set must show in {@code comparedTo} with the desired value. */
  private static Optional<String> comparedMismatch(JsonNode comparedTo, Desired desired) {
    for (FieldSet set : desired.sets()) {
      if (!set.path().startsWith("spec.source")) {
        continue;
      }
      String shown = resolve(comparedTo, FieldPath.parse(set.path()));
      if (!set.value().equals(shown)) {
        return Optional.of(
            "compared against "
                + set.path()
                + "="
                + (shown == null ? "(none)" : shown)
                + ", want "
                + set.value());
      }
    }
    return Optional.empty();
  }

  /**
   * For Helm chart sources and commit SHAs the sync revision must equal the target revision; for
   * Git branches and tags Argo CD reports the commit, which {@code comparedTo} already covers.
   */
  private static Optional<String> revisionMismatch(JsonNode app, JsonNode sync, Desired desired) {
    JsonNode spec = app.path("spec");
    List<JsonNode> sources = new ArrayList<>();
    List<String> observed = new ArrayList<>();
    if (spec.path("sources").isArray() && !spec.path("sources").isEmpty()) {
      spec.path("sources").forEach(sources::add);
      sync.path("revisions").forEach(r -> observed.add(r.asText("")));
    } else {
      sources.add(spec.path("source"));
      observed.add(sync.path("revision").asText(""));
    }
    for (int i = 0; i < sources.size(); i++) {
      JsonNode source = sources.get(i);
      String want = source.path("targetRevision").asText("");
      boolean comparable = source.has("chart") || want.matches("[0-9a-f]{40}");
      String got = i < observed.size() ? observed.get(i) : "";
      if (comparable && !want.equals(got)) {
        return Optional.of(
            "synced revision " + (got.isEmpty() ? "(none)" : got) + ", want " + want);
      }
    }
    return Optional.empty();
  }

  /** The value at a bundle path, read under {@code comparedTo} instead of the object root. */
  private static String resolve(JsonNode comparedTo, FieldPath path) {
    JsonNode node = comparedTo;
    List<FieldPath.Step> steps = path.steps();
    for (int i = 1; i < steps.size(); i++) {
      node =
          switch (steps.get(i)) {
            case FieldPath.Key k -> node.path(k.name());
            case FieldPath.Index x -> node.path(x.index());
            case FieldPath.Match m -> {
              JsonNode found = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
              for (JsonNode el : node) {
                boolean byImage =
                    el.isTextual()
                        && m.key().equals(ImageRefs.MATCH_KEY)
                        && ImageRefs.nameOf(el.textValue()).equals(m.value());
                if (byImage || el.path(m.key()).asText("").equals(m.value())) {
                  found = el;
                }
              }
              yield found;
            }
            default -> com.fasterxml.jackson.databind.node.MissingNode.getInstance();
          };
    }
    return node.isValueNode() ? node.asText() : null;
  }

  private static String revision(JsonNode sync) {
    if (sync.path("revisions").isArray() && !sync.path("revisions").isEmpty()) {
      List<String> r = new ArrayList<>();
      sync.path("revisions").forEach(n -> r.add(n.asText("")));
      return String.join(",", r);
    }
    return sync.path("revision").asText("");
  }

  private static Optional<Instant> time(JsonNode node) {
    if (!node.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(node.textValue()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String optional(String message) {
    return message.isEmpty() ? "" : ": " + message;
  }
}
