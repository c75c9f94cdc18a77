package io.kapro.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.List;

/**
 * Moves the status of Argo CD Applications the way the application controller does: a {@code
 * argocd.argoproj.io/refresh} annotation is consumed and the app is compared again ({@code
 * status.sync.comparedTo}, {@code Synced}/{@code OutOfSync}, {@code reconciledAt}); a requested
 * {@code operation} (or an automated sync policy with a difference) becomes a {@code Running}
 * {@code operationState} with health {@code Progressing} (kept while {@link #hold() held}); the
 * operation then ends {@code Succeeded} (Synced, Healthy, revisions resolved, {@code reconciledAt}
 * after {@code finishedAt}) or as the configured {@link Failure}: terminal → operation {@code
 * Failed}; otherwise the sync succeeds but health turns {@code Degraded}.
 */
public final class FakeArgoController extends FakeController {
  private static final String REFRESH = "argocd.argoproj.io/refresh";

  /** What each app (by uid) was last synced to: the fake's stand-in for the live state. */
  private final java.util.Map<String, JsonNode> synced =
      new java.util.concurrent.ConcurrentHashMap<>();

  public FakeArgoController(KubernetesClient client) {
    this(client, Duration.ofMillis(25));
  }

  public FakeArgoController(KubernetesClient client, Duration tick) {
    super(client, tick);
  }

  @Override
  public FakeArgoController startPolling() {
    super.startPolling();
    return this;
  }

  @Override
  List<ResourceDefinitionContext> kinds() {
    return List.of(context("argoproj.io", "v1alpha1", "Application", "applications"));
  }

  @Override
  void reconcile(ResourceDefinitionContext ctx, ObjectNode app) {
    ObjectNode status =
        app.path("status").isObject()
            ? ((ObjectNode) app.get("status")).deepCopy()
            : JSON.createObjectNode();
    JsonNode spec = app.path("spec");
    String phase = status.path("operationState").path("phase").asText("");
    boolean refresh = app.path("metadata").path("annotations").has(REFRESH);
    boolean requested = app.hasNonNull("operation");
    if (phase.equals("Running")) {
      if (!held()) {
        finish(ctx, app, status);
      }
      return;
    }
    if (requested) {
      JsonNode operation = app.get("operation");
      patchObject(ctx, app, "[{\"op\":\"remove\",\"path\":\"/operation\"}]");
      start(status, operation);
      writeStatus(ctx, fresh(ctx, app), status);
      return;
    }
    boolean firstSight = !status.has("sync");
    if (!refresh && !firstSight) {
      return;
    }
    if (refresh) {
      patchObject(
          ctx,
          app,
          "[{\"op\":\"remove\",\"path\":\"/metadata/annotations/argocd.argoproj.io~1refresh\"}]");
    }
    compare(app, status, spec, firstSight);
    boolean automated = spec.path("syncPolicy").hasNonNull("automated");
    if (!firstSight
        && automated
        && status.path("sync").path("status").asText().equals("OutOfSync")) {
      ObjectNode op = JSON.createObjectNode();
      op.putObject("initiatedBy").put("automated", true);
      ObjectNode sync = op.putObject("sync");
      if (multi(spec)) {
        ArrayNode revs = sync.putArray("revisions");
        spec.path("sources").forEach(s -> revs.add(s.path("targetRevision").asText("HEAD")));
      } else {
        sync.put("revision", spec.path("source").path("targetRevision").asText("HEAD"));
      }
      start(status, op);
    }
    writeStatus(ctx, fresh(ctx, app), status);
  }

  private ObjectNode fresh(ResourceDefinitionContext ctx, ObjectNode app) {
    var r =
        client
            .genericKubernetesResources(ctx)
            .inNamespace(app.path("metadata").path("namespace").asText())
            .withName(app.path("metadata").path("name").asText())
            .get();
    return tree(r);
  }

  /** Compares the app again: the desired sources become {@code comparedTo}. */
  private void compare(ObjectNode app, ObjectNode status, JsonNode spec, boolean baseline) {
    String uid = app.path("metadata").path("uid").asText();
    ObjectNode sync =
        status.path("sync").isObject() ? (ObjectNode) status.get("sync") : status.putObject("sync");
    ObjectNode comparedTo = JSON.createObjectNode();
    if (multi(spec)) {
      comparedTo.set("sources", spec.path("sources").deepCopy());
    } else {
      comparedTo.set("source", spec.path("source").deepCopy());
    }
    comparedTo.set("destination", spec.path("destination").deepCopy());
    boolean same = baseline || comparedTo.equals(synced.get(uid));
    sync.set("comparedTo", comparedTo);
    sync.put("status", same ? "Synced" : "OutOfSync");
    if (baseline) {
      resolve(sync, spec);
      synced.put(uid, comparedTo.deepCopy());
      status.putObject("health").put("status", "Healthy");
    }
    status.put("reconciledAt", now());
  }

  private static void start(ObjectNode status, JsonNode operation) {
    ObjectNode op = status.putObject("operationState");
    op.put("phase", "Running")
        .put("message", "waiting for healthy state of apps/Deployment/app")
        .put("startedAt", now());
    op.set("operation", operation.deepCopy());
    status
        .putObject("health")
        .put("status", "Progressing")
        .put("message", "Waiting for rollout to finish: 1 old replicas are pending termination");
  }

  private void finish(ResourceDefinitionContext ctx, ObjectNode app, ObjectNode status) {
    JsonNode spec = app.path("spec");
    Failure failure = failureFor(app);
    ObjectNode op = (ObjectNode) status.get("operationState");
    op.put("finishedAt", now());
    ObjectNode sync =
        status.path("sync").isObject() ? (ObjectNode) status.get("sync") : status.putObject("sync");
    compare(app, status, spec, false);
    if (failure != null && failure.terminal()) {
      op.put("phase", "Failed").put("message", failure.message());
      sync.put("status", "OutOfSync");
      status.putObject("health").put("status", "Degraded").put("message", failure.message());
    } else {
      op.put("phase", "Succeeded").put("message", "successfully synced (all tasks run)");
      resolve(sync, spec);
      sync.put("status", "Synced");
      synced.put(app.path("metadata").path("uid").asText(), sync.get("comparedTo").deepCopy());
      ObjectNode syncResult = op.putObject("syncResult");
      if (sync.has("revisions")) {
        syncResult.set("revisions", sync.get("revisions").deepCopy());
      } else {
        syncResult.put("revision", sync.path("revision").asText());
      }
      ObjectNode health = status.putObject("health");
      if (failure != null) {
        health.put("status", "Degraded").put("message", failure.message());
      } else {
        health.put("status", "Healthy");
      }
      ArrayNode history =
          status.path("history").isArray()
              ? (ArrayNode) status.get("history")
              : status.putArray("history");
      history
          .addObject()
          .put("id", history.size())
          .put("revision", sync.path("revision").asText(sync.path("revisions").toString()))
          .put("deployedAt", now());
    }
    status.put("reconciledAt", now());
    writeStatus(ctx, app, status);
  }

  /** Chart sources resolve to their version, Git sources to a commit derived from the ref. */
  private static void resolve(ObjectNode sync, JsonNode spec) {
    if (multi(spec)) {
      ArrayNode revs = sync.putArray("revisions");
      spec.path("sources").forEach(s -> revs.add(revision(s)));
      sync.remove("revision");
    } else {
      sync.put("revision", revision(spec.path("source")));
    }
  }

  private static String revision(JsonNode source) {
    String target = source.path("targetRevision").asText("HEAD");
    return source.has("chart") || target.matches("[0-9a-f]{40}")
        ? target
        : FakeFluxController.sha1(source.path("repoURL").asText() + target);
  }

  private static boolean multi(JsonNode spec) {
    return spec.path("sources").isArray() && !spec.path("sources").isEmpty();
  }
}
