package io.kapro.agent.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kapro.agent.config.ManagedKind;

/**
 * What the patch adds so the GitOps controller acts at once: for Flux the {@code
 * reconcile.fluxcd.io/requestedAt} token, for Argo CD a refresh and, without automated sync, a sync
 * operation at the desired revision(s).
 */
final class ReconcileRequest {
  /** Flux's "reconcile now" annotation. */
  static final String FLUX_REQUESTED_AT = "reconcile.fluxcd.io/requestedAt";

  /** Argo CD's "refresh now" annotation. */
  static final String ARGO_REFRESH = "argocd.argoproj.io/refresh";

  private ReconcileRequest() {}

  static void flux(ObjectNode patch, String token) {
    annotations(patch).put(FLUX_REQUESTED_AT, token);
  }

  /** Adds refresh and, when needed, a sync operation; returns whether a sync was requested. */
  static boolean argo(ObjectNode patch, ObjectNode working) {
    annotations(patch).put(ARGO_REFRESH, "normal");
    JsonNode automated = working.path("spec").path("syncPolicy").path("automated");
    if (!automated.isMissingNode() && !automated.isNull()) {
      return false;
    }
    ObjectNode operation = patch.putObject("operation");
    operation.putObject("initiatedBy").put("username", "kapro-agent");
    operation
        .putArray("info")
        .addObject()
        .put("name", "Reason")
        .put("value", "kapro bundle applied");
    ObjectNode sync = operation.putObject("sync");
    JsonNode sources = working.path("spec").path("sources");
    if (sources.isArray() && !sources.isEmpty()) {
      ArrayNode revisions = sync.putArray("revisions");
      sources.forEach(s -> revisions.add(s.path("targetRevision").asText("HEAD")));
    } else {
      sync.put(
          "revision", working.path("spec").path("source").path("targetRevision").asText("HEAD"));
    }
    JsonNode options = working.path("spec").path("syncPolicy").path("syncOptions");
    if (options.isArray()) {
      sync.set("syncOptions", options.deepCopy());
    }
    return true;
  }

  static boolean isFlux(ManagedKind kind) {
    return kind.backend() == ManagedKind.Backend.FLUX;
  }

  private static ObjectNode annotations(ObjectNode patch) {
    ObjectNode metadata =
        patch.has("metadata") ? (ObjectNode) patch.get("metadata") : patch.putObject("metadata");
    return metadata.has("annotations")
        ? (ObjectNode) metadata.get("annotations")
        : metadata.putObject("annotations");
  }
}
