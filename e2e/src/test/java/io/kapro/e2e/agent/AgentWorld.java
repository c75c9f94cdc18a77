package io.kapro.e2e.agent;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kapro.agent.apply.LocalObjects;
import io.kapro.agent.config.ManagedKind;
import io.kapro.agent.testing.FakeArgoController;
import io.kapro.agent.testing.FakeFluxController;
import io.kapro.agent.testing.MockKube;
import io.kapro.agent.testing.TcpProxy;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.UnitPhase;
import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.FieldSet;
import io.kapro.oci.bundle.ObjectReference;
import io.kapro.oci.sign.Pem;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.RegistryConfig;
import io.kapro.oci.store.RegistryStore;
import io.kapro.oci.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything an agent process talks to, on loopback: the real registry, the mock API server with a
 * HelmRelease and an Argo CD Application plus fake controllers, the real hub gateway; and the
 * agent's config, kubeconfig and state directory.
 */
final class AgentWorld implements AutoCloseable {
  static final YAMLMapper YAML = new YAMLMapper();
  static final String REPO = "kapro/team-a/edge-1";
  static final ObjectReference HR =
      new ObjectReference("helm.toolkit.fluxcd.io/v2", "HelmRelease", "apps", "podinfo");
  static final ObjectReference APP =
      new ObjectReference("argoproj.io/v1alpha1", "Application", "argocd", "guestbook");

  final Path dir;
  final LocalRegistry registry;
  final BundleStore publisher;
  final MockKube kube = new MockKube();
  final FakeFluxController flux;
  final FakeArgoController argo;
  final HubStandIn hub;
  final SigningKey key = SigningKey.generate();
  final Path stateDir;
  final Path config;
  final Path kubeconfig;

  /** Between the agent and the registry, counting bytes. */
  final TcpProxy registryProxy;

  /** Between the agent and the hub gateway, counting bytes. */
  final TcpProxy hubProxy;

  /** HelmReleases apps/podinfo, apps/podinfo-2 … apps/podinfo-N the bundles set (N ≥ 1). */
  private final int helmReleases;

  AgentWorld(Path dir, Duration heartbeat, String pollInterval) throws Exception {
    this(dir, heartbeat, pollInterval, 1);
  }

  /** A world whose bundles manage {@code helmReleases} HelmReleases and one Application. */
  AgentWorld(Path dir, Duration heartbeat, String pollInterval, int helmReleases) throws Exception {
    this.dir = dir;
    this.helmReleases = helmReleases;
    registry = LocalRegistry.startPlain();
    publisher = new RegistryStore(RegistryConfig.plainHttp(registry.host()));
    registryProxy = new TcpProxy(registry.port());
    create(
        HR,
        "{interval: 10m, chart: {spec: {chart: podinfo, version: 6.5.0, sourceRef: {kind: HelmRepository, name: podinfo}}}}");
    for (int i = 2; i <= helmReleases; i++) {
      create(
          helmRef("podinfo-" + i),
          "{interval: 10m, chart: {spec: {chart: podinfo, version: 6.5.0, sourceRef: {kind: HelmRepository, name: podinfo}}}}");
    }
    create(
        APP,
        "{project: default, source: {repoURL: 'https://git.example/guestbook.git', path: guestbook, targetRevision: v1.0.0}, destination: {server: 'https://kubernetes.default.svc', namespace: guestbook}}");
    flux = new FakeFluxController(kube.newClient()).startPolling();
    argo = new FakeArgoController(kube.newClient()).startPolling();
    hub = new HubStandIn(heartbeat);
    hubProxy = new TcpProxy(hub.port());
    stateDir = Files.createDirectories(dir.resolve("state"));
    Path ca = hub.writeCa(dir.resolve("hub-ca.pem"));
    Path pub = Files.writeString(dir.resolve("hub-signing.pub"), Pem.publicKeyPem(key.publicKey()));
    kubeconfig =
        Files.writeString(
            dir.resolve("kubeconfig"),
            """
            apiVersion: v1
            kind: Config
            clusters: [{name: mock, cluster: {server: "%s"}}]
            contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: kapro-system}}]
            current-context: mock
            users: [{name: mock, user: {token: test}}]
            """
                .formatted(kube.client().getMasterUrl().toString()));
    config =
        Files.writeString(
            dir.resolve("agent.yaml"),
            """
            cluster: {namespace: team-a, name: edge-1}
            hub: {address: "127.0.0.1:%d", caFile: %s}
            bundleSource:
              registry: {url: "%s", repository: %s, insecure: true}
            trustedKeys: [%s]
            pollInterval: %s
            allow:
              - {apiVersion: helm.toolkit.fluxcd.io/v2, kind: HelmRelease, namespace: apps, fields: [spec.chart.spec.version]}
              - {apiVersion: argoproj.io/v1alpha1, kind: Application, namespace: argocd, fields: [spec.source.targetRevision]}
            stateDir: %s
            health: {address: 127.0.0.1, port: 0}
            """
                .formatted(
                    hubProxy.port(),
                    ca,
                    "127.0.0.1:" + registryProxy.port(),
                    REPO,
                    pub,
                    pollInterval,
                    stateDir));
  }

  void create(ObjectReference ref, String specYaml) throws Exception {
    ObjectNode obj = YAML.createObjectNode();
    obj.put("apiVersion", ref.apiVersion()).put("kind", ref.kind());
    obj.putObject("metadata").put("name", ref.name()).put("namespace", ref.namespace());
    obj.set("spec", YAML.readTree(specYaml));
    GenericKubernetesResource r =
        kube.client()
            .getKubernetesSerialization()
            .unmarshal(obj.toString(), GenericKubernetesResource.class);
    kube.client()
        .genericKubernetesResources(
            new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
                .withGroup(ref.apiVersion().substring(0, ref.apiVersion().indexOf('/')))
                .withVersion(ref.apiVersion().substring(ref.apiVersion().indexOf('/') + 1))
                .withKind(ref.kind())
                .withPlural(ManagedKind.of(ref.apiVersion(), ref.kind()).orElseThrow().plural())
                .withNamespaced(true)
                .build())
        .inNamespace(ref.namespace())
        .resource(r)
        .create();
  }

  JsonNode get(ObjectReference ref) {
    return new LocalObjects(
            new io.kapro.agent.kube.KubeClient(
                io.kapro.agent.kube.KubeConfig.of(
                    java.net.URI.create(kube.client().getMasterUrl().toString()))))
        .get(ref, ManagedKind.of(ref.apiVersion(), ref.kind()).orElseThrow())
        .orElseThrow();
  }

  /** Publishes a bundle for the cluster; returns its digest. */
  String publish(long sequence, String helm, String argo) {
    Instant now = Instant.now();
    BundlePayload p =
        BundlePayload.of(
            "edge-1",
            "team-a",
            "fleet-a",
            "run-" + sequence,
            sequence,
            now.minusSeconds(60),
            now.plus(Duration.ofHours(2)),
            units(helm, argo),
            false);
    return publisher.put(REPO, SignedBundle.sign(p, key, REPO));
  }

  /**
   * Publishes a bundle of about 1 MiB (just under the agent's 1 MiB payload limit): the Helm unit's
   * version is 1,000 characters of semver build metadata, set on the same field 950 times (allowed:
   * same path, same value), so the agent parses, verifies, stores and applies a full-size payload.
   */
  String publishLarge(long sequence) {
    Instant now = Instant.now();
    String version = "6.7.0+" + "b".repeat(994);
    BundleUnit helm = helmUnit(HR, version);
    List<FieldSet> sets = new java.util.ArrayList<>();
    for (int i = 0; i < 950; i++) {
      sets.add(new FieldSet("spec.chart.spec.version", version));
    }
    BundleUnit big =
        new BundleUnit(
            helm.name(), helm.backend(), helm.object(), helm.version(), helm.digest(), sets);
    BundlePayload p =
        BundlePayload.of(
            "edge-1",
            "team-a",
            "fleet-a",
            "run-" + sequence,
            sequence,
            now.minusSeconds(60),
            now.plus(Duration.ofHours(2)),
            List.of(big, units(version, "v9.9." + sequence).getLast()),
            false);
    return publisher.put(REPO, SignedBundle.sign(p, key, REPO));
  }

  /** As {@link #startAgent(String, List)}, on the given classpath. */
  AgentProcess startAgent(
      String logName, List<String> jvmFlags, List<String> classpath, Path javaHome)
      throws Exception {
    return AgentProcess.start(
        jvmFlags,
        classpath,
        javaHome,
        config,
        Map.of("KUBECONFIG", kubeconfig.toString(), "KAPRO_BOOTSTRAP_TOKEN", hub.token()),
        dir.resolve(logName),
        "--secret-namespace",
        "kapro-system");
  }

  private List<BundleUnit> units(String helm, String argo) {
    List<BundleUnit> units = new java.util.ArrayList<>();
    units.add(helmUnit(HR, helm));
    for (int i = 2; i <= helmReleases; i++) {
      units.add(helmUnit(helmRef("podinfo-" + i), helm));
    }
    units.add(
        new BundleUnit(
            "guestbook",
            "ArgoCD",
            APP,
            argo,
            "",
            List.of(new FieldSet("spec.source.targetRevision", argo))));
    return units;
  }

  private static ObjectReference helmRef(String name) {
    return new ObjectReference("helm.toolkit.fluxcd.io/v2", "HelmRelease", "apps", name);
  }

  private static BundleUnit helmUnit(ObjectReference ref, String version) {
    return new BundleUnit(
        ref.name(),
        "Flux",
        ref,
        version,
        "",
        List.of(new FieldSet("spec.chart.spec.version", version)));
  }

  /** Starts the agent JVM (first start enrolls with a fresh bootstrap token). */
  AgentProcess startAgent(String logName) throws Exception {
    return startAgent(logName, AgentProcess.JVM_FLAGS);
  }

  /** As {@link #startAgent(String)}, with these JVM flags. */
  AgentProcess startAgent(String logName, List<String> jvmFlags) throws Exception {
    return AgentProcess.start(
        jvmFlags,
        config,
        Map.of("KUBECONFIG", kubeconfig.toString(), "KAPRO_BOOTSTRAP_TOKEN", hub.token()),
        dir.resolve(logName),
        "--secret-namespace",
        "kapro-system");
  }

  boolean hubKnowsConverged(long sequence) {
    return hub.sink.evidence().stream().anyMatch(m -> converged(m, sequence, helmReleases + 1));
  }

  static boolean converged(AgentMessage m, long sequence) {
    return converged(m, sequence, 2);
  }

  static boolean converged(AgentMessage m, long sequence, int units) {
    return m.hasEvidence()
        && m.getEvidence().getBundleSequence() == sequence
        && m.getEvidence().getUnitsCount() == units
        && m.getEvidence().getUnitsList().stream()
            .allMatch(u -> u.getPhase() == UnitPhase.UNIT_PHASE_CONVERGED);
  }

  void awaitBaseline() {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                get(APP).path("status").path("sync").path("status").asText().equals("Synced")
                    && get(HR).path("status").path("observedGeneration").asLong(0) >= 1);
  }

  @Override
  public void close() throws Exception {
    registryProxy.close();
    hubProxy.close();
    flux.close();
    argo.close();
    hub.close();
    kube.close();
    registry.close();
  }
}
