package io.kapro.e2e.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kapro.agent.Agent;
import io.kapro.agent.config.AgentConfigLoader;
import io.kapro.agent.testing.Failure;
import io.kapro.agent.testing.FakeArgoController;
import io.kapro.agent.testing.FakeFluxController;
import io.kapro.api.testing.ApiKind;
import io.kapro.api.testing.LocalKubeApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One simulated workload cluster: its own API server with a Flux HelmRelease {@code shop/web} and
 * an Argo CD Application {@code argocd/api} at the old version, the fake Flux and Argo CD
 * controllers, and (once {@link #startAgent started}) a real agent in this process.
 */
final class SimCluster implements AutoCloseable {
  static final String WEB_NS = "shop";
  static final String WEB = "web";
  static final String API_NS = "argocd";
  static final String API = "api";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final LocalKubeApi api;
  private final KubernetesClient client;
  private final io.kapro.agent.kube.KubeClient agentClient;
  private final KubernetesClient fluxClient;
  private final KubernetesClient argoClient;
  private final FakeFluxController flux;
  private final FakeArgoController argo;
  private Agent agent;
  private Path agentFile;

  private SimCluster(String name, LocalKubeApi api) {
    this.name = name;
    this.api = api;
    this.client = api.newClient("default");
    this.agentClient =
        new io.kapro.agent.kube.KubeClient(
            io.kapro.agent.kube.KubeConfig.of(java.net.URI.create(api.url())));
    this.fluxClient = api.newClient("default");
    this.argoClient = api.newClient("default");
    this.flux = new FakeFluxController(fluxClient);
    this.argo = new FakeArgoController(argoClient);
  }

  /** Starts the API server, seeds both objects at the given versions and starts the controllers. */
  static SimCluster start(String name, String webVersion, String apiVersion) {
    SimCluster c = new SimCluster(name, LocalKubeApi.start(ApiKind.FLUX_AND_ARGO));
    try {
      c.seed(webVersion, apiVersion);
      c.flux.startPolling();
      c.argo.startPolling();
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private void seed(String webVersion, String apiVersion) {
    create(
        ApiKind.FLUX_HELM_RELEASE,
        WEB_NS,
        WEB,
        Map.of(
            "interval",
            "10m",
            "chart",
            Map.of(
                "spec",
                Map.of(
                    "chart",
                    "web",
                    "version",
                    webVersion,
                    "sourceRef",
                    Map.of("kind", "HelmRepository", "name", "shop")))));
    create(
        ApiKind.ARGOCD_APPLICATION,
        API_NS,
        API,
        Map.of(
            "project",
            "default",
            "source",
            Map.of(
                "repoURL",
                "https://git.example/shop/api.git",
                "path",
                "deploy",
                "targetRevision",
                apiVersion),
            "destination",
            Map.of("server", "https://kubernetes.default.svc", "namespace", "shop")));
  }

  private void create(ApiKind kind, String namespace, String objectName, Map<String, ?> spec) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(kind.apiVersion());
    r.setKind(kind.kind());
    r.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(objectName)
            .withNamespace(namespace)
            .build());
    r.setAdditionalProperty("spec", spec);
    client.genericKubernetesResources(context(kind)).inNamespace(namespace).resource(r).create();
  }

  private static ResourceDefinitionContext context(ApiKind kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(kind.group())
        .withVersion(kind.version())
        .withKind(kind.kind())
        .withPlural(kind.plural())
        .withNamespaced(true)
        .build();
  }

  /** Whether both controllers finished their first reconcile (the old version is running). */
  boolean baselineConverged() {
    JsonNode hr = object(ApiKind.FLUX_HELM_RELEASE, WEB_NS, WEB);
    JsonNode app = object(ApiKind.ARGOCD_APPLICATION, API_NS, API);
    return hr.path("status").path("observedGeneration").asLong(0) >= 1
        && "Synced".equals(app.path("status").path("sync").path("status").asText());
  }

  /** The HelmRelease's chart version and the Application's target revision, as set right now. */
  String localVersions() {
    return "web="
        + object(ApiKind.FLUX_HELM_RELEASE, WEB_NS, WEB).at("/spec/chart/spec/version").asText()
        + ",api="
        + object(ApiKind.ARGOCD_APPLICATION, API_NS, API)
            .at("/spec/source/targetRevision")
            .asText();
  }

  private JsonNode object(ApiKind kind, String namespace, String objectName) {
    GenericKubernetesResource r =
        client
            .genericKubernetesResources(context(kind))
            .inNamespace(namespace)
            .withName(objectName)
            .get();
    return r == null ? JSON.createObjectNode() : JSON.valueToTree(r);
  }

  /**
   * Suspends ({@code spec.suspend: true}) or resumes the HelmRelease, as {@code flux suspend
   * helmrelease web -n shop} does; the fake Flux controller then stamps its status without applying
   * anything, as helm-controller does.
   */
  void suspendWeb(boolean suspend) {
    client
        .genericKubernetesResources(context(ApiKind.FLUX_HELM_RELEASE))
        .inNamespace(WEB_NS)
        .withName(WEB)
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"add\",\"path\":\"/spec/suspend\",\"value\":" + suspend + "}]");
  }

  /**
   * From now on the fake Flux controller fails the HelmRelease whenever it asks for {@code
   * version}.
   */
  void failWebAt(String version) {
    flux.failWhen(
        WEB_NS,
        WEB,
        spec -> version.equals(spec.at("/chart/spec/version").asText()),
        new Failure(
            true,
            "UpgradeFailed",
            "Helm upgrade failed for release shop/web with chart web@"
                + version
                + ": context deadline exceeded (the demo's --fail)"));
  }

  /** The fake Flux controller turns the finished HelmRelease {@code Ready=False}. */
  void regressWeb(String reason, String message) {
    flux.regress(WEB_NS, WEB, new Failure(false, reason, message));
  }

  /** A person edits the HelmRelease's chart version (a JSON merge patch, as kubectl patch). */
  void setWebByHand(String version) {
    client
        .genericKubernetesResources(context(ApiKind.FLUX_HELM_RELEASE))
        .inNamespace(WEB_NS)
        .withName(WEB)
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"spec\":{\"chart\":{\"spec\":{\"version\":\"" + version + "\"}}}}");
  }

  /**
   * Starts the real agent for this cluster: enrolls with {@code token} and talks to its API server
   * through its own client.
   */
  void startAgent(String agentYaml, Path dir, String token) {
    startAgent(agentYaml, dir, Optional.of(token));
  }

  /**
   * Starts the real agent; without a token it loads the credentials already in its state directory
   * (an agent enrolled earlier, e.g. before its cluster was cut off from the hub).
   */
  void startAgent(String agentYaml, Path dir, Optional<String> token) {
    try {
      Path file = Files.writeString(dir.resolve("agent.yaml"), agentYaml);
      agentFile = file;
      agent =
          Agent.start(AgentConfigLoader.load(file, Map.of()), Optional.empty(), token, agentClient);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the agent; its state directory stays for {@link #restartAgent()}. */
  synchronized void stopAgent() {
    if (agent != null) {
      agent.close();
      agent = null;
    }
  }

  /** Starts the agent again from its agent.yaml and state directory (no enrollment). */
  synchronized void restartAgent() {
    stopAgent();
    agent =
        Agent.start(
            AgentConfigLoader.load(agentFile, Map.of()),
            Optional.empty(),
            Optional.empty(),
            agentClient);
  }

  synchronized java.util.OptionalInt healthPort() {
    return agent == null
        ? java.util.OptionalInt.empty()
        : java.util.OptionalInt.of(agent.healthPort());
  }

  KubernetesClient client() {
    return client;
  }

  String name() {
    return name;
  }

  /** The kubeconfig of this cluster's API server (kubectl works against it too). */
  Path kubeconfig() {
    return api.kubeconfig();
  }

  /** The port of the agent's health and metrics server; the agent must have been started. */
  int agentHealthPort() {
    if (agent == null) {
      throw new IllegalStateException(name + ": its agent is not started");
    }
    return agent.healthPort();
  }

  @Override
  public void close() {
    stopAgent();
    flux.close();
    argo.close();
    fluxClient.close();
    argoClient.close();
    agentClient.close();
    client.close();
    api.close();
  }
}
