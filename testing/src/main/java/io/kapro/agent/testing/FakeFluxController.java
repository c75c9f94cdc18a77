package io.kapro.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * Moves the status of OCIRepository, GitRepository, HelmRelease and Kustomization objects the way
 * Flux's controllers do: on a new generation or a new {@code reconcile.fluxcd.io/requestedAt} token
 * it records the token in {@code lastHandledReconcileAt} and marks {@code Reconciling=True}, {@code
 * Ready=Unknown} (the intermediate state, kept while {@link #hold() held}); then it finishes with
 * {@code observedGeneration} = generation and {@code Ready=True} at the revision the spec asks for,
 * or with the configured {@link Failure} ({@code Ready=False}, or {@code Stalled=True} when
 * terminal). A suspended object ({@code spec.suspend: true}) gets its status re-stamped but nothing
 * applied. Usable outside JUnit: {@code new FakeFluxController(client).startPolling()}.
 *
 * <p>{@link #regress} makes a finished object turn {@code Ready=False} on the controller's next
 * periodic pass without any spec change (a Helm test or health check failing after the release was
 * installed), {@link #recover} turns it {@code Ready=True} again.
 */
public final class FakeFluxController extends FakeController {
  private static final String REQUESTED_AT = "reconcile.fluxcd.io/requestedAt";

  private final java.util.Map<String, Failure> regressions =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Set<String> recovering =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** From the next periodic pass on, the finished object reports {@code Ready=False}. */
  public void regress(String namespace, String name, Failure failure) {
    recovering.remove(namespace + "/" + name);
    regressions.put(namespace + "/" + name, failure);
  }

  /** Ends a {@link #regress regression}: the next pass reports {@code Ready=True} again. */
  public void recover(String namespace, String name) {
    if (regressions.remove(namespace + "/" + name) != null) {
      recovering.add(namespace + "/" + name);
    }
  }

  public FakeFluxController(KubernetesClient client) {
    this(client, Duration.ofMillis(25));
  }

  public FakeFluxController(KubernetesClient client, Duration tick) {
    super(client, tick);
  }

  @Override
  public FakeFluxController startPolling() {
    super.startPolling();
    return this;
  }

  @Override
  List<ResourceDefinitionContext> kinds() {
    return List.of(
        context("source.toolkit.fluxcd.io", "v1beta2", "OCIRepository", "ocirepositories"),
        context("source.toolkit.fluxcd.io", "v1", "OCIRepository", "ocirepositories"),
        context("source.toolkit.fluxcd.io", "v1", "GitRepository", "gitrepositories"),
        context("helm.toolkit.fluxcd.io", "v2", "HelmRelease", "helmreleases"),
        context("kustomize.toolkit.fluxcd.io", "v1", "Kustomization", "kustomizations"));
  }

  @Override
  void reconcile(ResourceDefinitionContext ctx, ObjectNode object) {
    long generation = object.path("metadata").path("generation").asLong(1);
    String token = object.path("metadata").path("annotations").path(REQUESTED_AT).asText("");
    ObjectNode status =
        object.path("status").isObject()
            ? ((ObjectNode) object.get("status")).deepCopy()
            : JSON.createObjectNode();
    if (object.path("spec").path("suspend").asBoolean(false)) {
      suspended(ctx, object, status, generation, token);
      return;
    }
    boolean reconciling = hasCondition(status, "Reconciling", "True");
    boolean newGeneration = status.path("observedGeneration").asLong(-1) != generation;
    boolean newToken =
        !token.isEmpty() && !token.equals(status.path("lastHandledReconcileAt").asText(""));
    if (!reconciling && !newGeneration && !newToken) {
      periodic(ctx, object, status, generation);
      return;
    }
    if (!reconciling) {
      if (!token.isEmpty()) {
        status.put("lastHandledReconcileAt", token);
      }
      String msg =
          ctx.getKind().equals("HelmRelease")
              ? "Running 'upgrade' action with timeout of 5m0s"
              : "reconciliation in progress";
      setCondition(status, "Reconciling", "True", "Progressing", msg, generation);
      setCondition(status, "Ready", "Unknown", "Progressing", msg, generation);
      removeCondition(status, "Stalled");
      writeStatus(ctx, object, status);
      return;
    }
    if (held()) {
      return;
    }
    removeCondition(status, "Reconciling");
    status.put("observedGeneration", generation);
    Failure failure = failureFor(object);
    JsonNode spec = object.path("spec");
    switch (ctx.getKind()) {
      case "HelmRelease" -> helmRelease(status, spec, object, failure);
      case "OCIRepository" -> artifact(status, ociRevision(spec.path("ref")), failure);
      case "GitRepository" -> artifact(status, gitRevision(spec.path("ref")), failure);
      default -> kustomization(status, spec, failure);
    }
    if (failure != null) {
      setCondition(status, "Ready", "False", failure.reason(), failure.message(), generation);
      if (failure.terminal()) {
        setCondition(status, "Stalled", "True", "RetriesExceeded", failure.message(), generation);
      }
    }
    writeStatus(ctx, object, status);
  }

  /** A pass over a finished object: a regression or a recovery, else nothing. */
  private void periodic(
      ResourceDefinitionContext ctx, ObjectNode object, ObjectNode status, long generation) {
    String key =
        object.path("metadata").path("namespace").asText()
            + "/"
            + object.path("metadata").path("name").asText();
    Failure r = regressions.get(key);
    if (r != null && !hasCondition(status, "Ready", "False")) {
      setCondition(status, "Ready", "False", r.reason(), r.message(), generation);
      writeStatus(ctx, object, status);
    } else if (r == null && recovering.contains(key)) {
      String reason = ctx.getKind().equals("HelmRelease") ? "UpgradeSucceeded" : "Succeeded";
      setCondition(status, "Ready", "True", reason, "recovered", generation);
      if (writeStatus(ctx, object, status)) {
        recovering.remove(key);
      }
    }
  }

  /**
   * A suspended object: nothing is applied. The status is stamped with the new generation, the
   * reconcile token and a {@code Ready} condition carried over from the last real reconcile — the
   * worst case the judges must see through (issue #17: a controller re-stamping {@code
   * observedGeneration} and {@code Ready} while applying nothing).
   */
  private void suspended(
      ResourceDefinitionContext ctx,
      ObjectNode object,
      ObjectNode status,
      long generation,
      String token) {
    ObjectNode before = status.deepCopy();
    status.put("observedGeneration", generation);
    if (!token.isEmpty()) {
      status.put("lastHandledReconcileAt", token);
    }
    removeCondition(status, "Reconciling");
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        ((ObjectNode) c).put("observedGeneration", generation);
      }
    }
    if (!status.equals(before)) {
      writeStatus(ctx, object, status);
    }
  }

  private void helmRelease(ObjectNode status, JsonNode spec, ObjectNode object, Failure failure) {
    String chart = spec.path("chart").path("spec").path("chart").asText("chart");
    String version = spec.path("chart").path("spec").path("version").asText("*");
    ArrayNode history =
        status.path("history").isArray()
            ? (ArrayNode) status.get("history")
            : status.putArray("history");
    int release = history.isEmpty() ? 1 : history.get(0).path("version").asInt(0) + 1;
    if (!history.isEmpty() && failure == null) {
      ((ObjectNode) history.get(0)).put("status", "superseded");
    }
    ObjectNode entry = JSON.createObjectNode();
    entry
        .put("chartName", chart)
        .put("chartVersion", version)
        .put("appVersion", version)
        .put("status", failure == null ? "deployed" : "failed")
        .put("version", release)
        .put("digest", "sha256:" + sha256(chart + version));
    history.insert(0, entry);
    while (history.size() > 5) {
      history.remove(history.size() - 1);
    }
    status.put("lastAttemptedRevision", version);
    status.put("lastAttemptedConfigDigest", "sha256:" + sha256(spec.path("values").toString()));
    if (failure == null) {
      String name =
          object.path("metadata").path("namespace").asText()
              + "/"
              + object.path("metadata").path("name").asText();
      String msg =
          "Helm "
              + (release == 1 ? "install" : "upgrade")
              + " succeeded for release "
              + name
              + ".v"
              + release
              + " with chart "
              + chart
              + "@"
              + version;
      setCondition(
          status,
          "Ready",
          "True",
          release == 1 ? "InstallSucceeded" : "UpgradeSucceeded",
          msg,
          status.path("observedGeneration").asLong());
      setCondition(
          status,
          "Released",
          "True",
          release == 1 ? "InstallSucceeded" : "UpgradeSucceeded",
          msg,
          status.path("observedGeneration").asLong());
    }
  }

  private void artifact(ObjectNode status, String revision, Failure failure) {
    if (failure != null) {
      return;
    }
    ObjectNode artifact = status.putObject("artifact");
    artifact
        .put("revision", revision)
        .put("digest", "sha256:" + sha256("artifact" + revision))
        .put("lastUpdateTime", now())
        .put("size", 4096)
        .put("path", "artifacts/" + sha256(revision) + ".tar.gz");
    setCondition(
        status,
        "Ready",
        "True",
        "Succeeded",
        "stored artifact for revision '" + revision + "'",
        status.path("observedGeneration").asLong());
    setCondition(
        status,
        "ArtifactInStorage",
        "True",
        "Succeeded",
        "stored artifact for revision '" + revision + "'",
        status.path("observedGeneration").asLong());
  }

  private void kustomization(ObjectNode status, JsonNode spec, Failure failure) {
    String revision = "main@sha1:" + sha1(spec.toString());
    status.put("lastAttemptedRevision", revision);
    if (failure == null) {
      status.put("lastAppliedRevision", revision);
      setCondition(
          status,
          "Ready",
          "True",
          "ReconciliationSucceeded",
          "Applied revision: " + revision,
          status.path("observedGeneration").asLong());
    }
  }

  static String ociRevision(JsonNode ref) {
    if (ref.hasNonNull("digest")) {
      return ref.path("digest").asText();
    }
    String tag =
        ref.hasNonNull("semver")
            ? ref.path("semver").asText().replaceAll("[^0-9.]", "")
            : ref.path("tag").asText("latest");
    return tag + "@sha256:" + sha256(tag);
  }

  static String gitRevision(JsonNode ref) {
    if (ref.hasNonNull("commit")) {
      return ref.path("branch").asText("main") + "@sha1:" + ref.path("commit").asText();
    }
    String name =
        ref.hasNonNull("tag")
            ? ref.path("tag").asText()
            : ref.hasNonNull("name")
                ? ref.path("name").asText()
                : ref.path("branch").asText("main");
    return name + "@sha1:" + sha1(name);
  }

  static boolean hasCondition(JsonNode status, String type, String value) {
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText().equals(type) && c.path("status").asText().equals(value)) {
        return true;
      }
    }
    return false;
  }

  static void setCondition(
      ObjectNode status,
      String type,
      String value,
      String reason,
      String message,
      long generation) {
    removeCondition(status, type);
    ArrayNode conditions =
        status.path("conditions").isArray()
            ? (ArrayNode) status.get("conditions")
            : status.putArray("conditions");
    conditions
        .addObject()
        .put("type", type)
        .put("status", value)
        .put("reason", reason)
        .put("message", message)
        .put("observedGeneration", generation)
        .put("lastTransitionTime", now());
  }

  static void removeCondition(ObjectNode status, String type) {
    if (status.path("conditions").isArray()) {
      ArrayNode conditions = (ArrayNode) status.get("conditions");
      for (int i = conditions.size() - 1; i >= 0; i--) {
        if (conditions.get(i).path("type").asText().equals(type)) {
          conditions.remove(i);
        }
      }
    }
  }

  static String sha256(String s) {
    return digest("SHA-256", s);
  }

  static String sha1(String s) {
    return digest("SHA-1", s);
  }

  private static String digest(String algorithm, String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
