package io.kapro.e2e.demo;

import static io.kapro.e2e.demo.SimCluster.API;
import static io.kapro.e2e.demo.SimCluster.API_NS;
import static io.kapro.e2e.demo.SimCluster.WEB_NS;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.Durations;
import io.kapro.api.Examples;
import io.kapro.api.Kapro;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Approval;
import io.kapro.api.v1alpha2.ApprovalSpec;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Decision;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.UnitVersion;
import io.kapro.hub.Hub;
import io.kapro.hub.HubSettings;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.testing.LocalRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the demo runs, in this process: the hub's API server, the registry (or an OCI layout
 * directory), the real hub, and the simulated clusters with their agents; plus the quickstart
 * manifests, adapted to them. The demo and the e2e tests drive it.
 */
public final class DemoFleet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoFleet.class);

  /** The namespace of the hub API the fleet lives in. */
  public static final String NAMESPACE = "shop";

  /** The hub's own namespace (CA and bootstrap-token Secrets). */
  public static final String HUB_NAMESPACE = "kapro-system";

  public static final String PROMOTION = "shop-1-4-0";
  public static final String OLD_WEB = "1.3.0";
  public static final String OLD_API = "v1.3.0";
  public static final String NEW_WEB = "1.4.0";
  public static final String NEW_API = "v1.4.0";
  static final String BASELINE_PROMOTION = "shop-1-3-0";
  static final String BASELINE_PLAN = "all-at-once";

  private final DemoOptions options;
  private final FleetWiring wiring;
  private final Path dir;
  private final Consumer<String> out;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Map<String, SimCluster> clusters = new LinkedHashMap<>();
  private final SigningKey key = SigningKey.generate();
  private LocalKubeApi hubApi;
  private KubernetesClient client;
  private LocalRegistry registry;
  private Path layoutDir;
  private Hub hub;
  private final List<Hub> replicas = new ArrayList<>();
  private int agentGatewayPort;
  private Path kubeconfig;

  private DemoFleet(DemoOptions options, FleetWiring wiring, Path dir, Consumer<String> out) {
    this.options = options;
    this.wiring = wiring;
    this.dir = dir;
    this.out = out;
  }

  /**
   * Starts the hub side and the clusters with their agents, and applies the fleet (not yet the
   * Promotion).
   *
   * @param dir a fresh working directory (agent state, CA file, keys, layout)
   * @param out where progress lines go
   */
  public static DemoFleet start(DemoOptions options, Path dir, Consumer<String> out) {
    return start(options, FleetWiring.direct(), dir, out);
  }

  /**
   * As {@link #start(DemoOptions, Path, Consumer)}, wired through fault proxies or a skewed clock.
   */
  public static DemoFleet start(
      DemoOptions options, FleetWiring wiring, Path dir, Consumer<String> out) {
    DemoFleet f = new DemoFleet(options, wiring, dir, out);
    try {
      f.startHub();
      f.applyFleet();
      f.startClusters();
      return f;
    } catch (RuntimeException e) {
      f.close();
      throw e;
    }
  }

  private void startHub() {
    hubApi = LocalKubeApi.start();
    resources.add(hubApi);
    client = hubApi.newClient(NAMESPACE);
    resources.add(client);
    kubeconfig = hubApi.writeKubeconfig(dir.resolve("hub.kubeconfig"), NAMESPACE);
    out.accept("hub API (local Kubernetes API server): " + hubApi.url());
    boolean registryInstalled = Files.isExecutable(Path.of("/usr/bin/docker-registry"));
    if (registryInstalled && !options.layout()) {
      registry = LocalRegistry.startPlain();
      resources.add(registry);
      out.accept(
          "bundles: the distribution registry on " + registry.host() + " (plain HTTP, loopback)");
    } else {
      layoutDir = mkdirs(dir.resolve("oci-layout"));
      out.accept(
          "bundles: an OCI layout directory (the air-gap path) at "
              + layoutDir
              + (registryInstalled
                  ? " (--layout)"
                  : " (/usr/bin/docker-registry is not installed)"));
    }
    hub = Hub.start(hubApi.client(), hubSettings(0), wiring.hubClock());
    resources.add(hub);
    replicas.add(hub);
    out.accept(
        "hub: gateway (gRPC, mTLS) on 127.0.0.1:"
            + hub.gatewayPort()
            + ", metrics and inbound events on http://127.0.0.1:"
            + hub.httpPort());
    for (int i = 1; i < wiring.hubReplicas(); i++) {
      KubernetesClient own = hubApi.newClient("default"); // a replica is its own process
      resources.add(own);
      Hub more = Hub.start(own, hubSettings(0), wiring.hubClock());
      resources.add(more);
      replicas.add(more);
      out.accept("hub replica " + i + ": gateway on 127.0.0.1:" + more.gatewayPort());
    }
  }

  private HubSettings hubSettings(int gatewayPort) {
    HubSettings alone = hubSettingsAlone(gatewayPort);
    HubSettings s = wiring.evidenceImport().map(alone::withEvidenceImport).orElse(alone);
    return wiring.hubReplicas() > 1 ? s.withShards(wiring.hubReplicas(), wiring.shardLease()) : s;
  }

  /**
   * The hub replicas, the first being {@link #hub()} (one unless the wiring asks for more); a
   * crashed replica stays in the list.
   */
  public synchronized List<Hub> hubReplicas() {
    return List.copyOf(replicas);
  }

  /**
   * The replica the agents dial: the only one, or with several the first that does not own the
   * shard of the fleet (once every replica owns its share), so that agents and the fleet's engine
   * sit on different replicas, as behind a Service they may.
   */
  private Hub agentReplica() {
    if (replicas.size() == 1) {
      return hub;
    }
    int shards = wiring.hubReplicas();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (replicas.stream().anyMatch(h -> h.shardLeases().orElseThrow().ownedShards().isEmpty())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the hub replicas did not split the shards within 60 s");
      }
      pause(Duration.ofMillis(200));
    }
    Fleet fleet = client.resources(Fleet.class).list().getItems().getFirst();
    int shard = io.kapro.hub.shard.ShardKeys.shardOf(fleet, shards);
    for (Hub h : replicas) {
      if (!h.shardLeases().orElseThrow().ownedShards().contains(shard)) {
        out.accept(
            "agents dial hub replica "
                + replicas.indexOf(h)
                + "; fleet "
                + fleet.getMetadata().getName()
                + " is in shard "
                + shard
                + ", owned by another replica");
        return h;
      }
    }
    return hub;
  }

  /** Kills replica {@code i} as a killed pod would go: its shard Leases are left to expire. */
  public synchronized void crashHubReplica(int i) {
    Hub h = replicas.get(i);
    h.crash();
    out.accept("hub replica " + i + " killed (its shard Leases left to expire)");
  }

  private static HubSettings hubSettingsAlone(int gatewayPort) {
    return new HubSettings(
        HUB_NAMESPACE,
        "127.0.0.1",
        gatewayPort,
        List.of("localhost", "127.0.0.1"),
        "127.0.0.1",
        0,
        "kapro-hub-ca",
        false,
        Duration.ofSeconds(1),
        Duration.ofMinutes(1));
  }

  /**
   * Stops the hub (operator, gateway, publisher, HTTP endpoint) as a crash would leave the API, and
   * starts a new one on the same API server, registry and gateway port; the CA comes back from its
   * Secret, so the agents reconnect with the certificates they have.
   */
  public synchronized void restartHub() {
    int port = hub.gatewayPort();
    Hub old = hub;
    old.close();
    hub = Hub.start(hubApi.client(), hubSettings(port), wiring.hubClock());
    resources.set(resources.indexOf(old), hub);
    replicas.set(0, hub);
    out.accept("hub restarted: gateway on 127.0.0.1:" + hub.gatewayPort());
  }

  private void applyFleet() {
    Secret signing =
        new SecretBuilder()
            .withNewMetadata()
            .withName("kapro-signing")
            .endMetadata()
            .addToStringData("cosign.key", key.privateKeyPem())
            .build();
    client.secrets().inNamespace(NAMESPACE).resource(signing).create();
    for (Examples.Manifest m : quickstart()) {
      ObjectNode o = m.object().deepCopy();
      switch (m.kind()) {
        case "Fleet" -> create(fleet(o));
        case "Plan" -> create(plan(o));
        default -> {} // Clusters are generated for N; the Promotion comes later
      }
    }
    create(baselinePlan());
    for (String name : DemoOptions.clusterNames(options.clusters())) {
      create(clusterManifest(name));
    }
  }

  private static List<Examples.Manifest> quickstart() {
    Path dir = Examples.repoRoot().resolve("examples/quickstart");
    List<Examples.Manifest> all = new ArrayList<>();
    for (String f : List.of("fleet.yaml", "plan.yaml", "clusters.yaml", "promotion.yaml")) {
      try {
        all.addAll(Examples.read(dir.resolve(f)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return all;
  }

  private ObjectNode fleet(ObjectNode o) {
    ObjectNode spec = (ObjectNode) o.get("spec");
    if (registry != null) {
      ((ObjectNode) spec.get("registry")).put("url", wiring.hubRegistry().apply(registry.host()));
    } else {
      spec.remove("registry");
      spec.putObject("layout").put("path", layoutDir.toString());
    }
    wiring.bundleTtl().ifPresent(ttl -> spec.put("bundleTTL", Durations.format(ttl)));
    spec.put("drift", options.drift().name());
    return o;
  }

  private ObjectNode plan(ObjectNode o) {
    for (var stage : (ArrayNode) o.get("spec").get("stages")) {
      ObjectNode s = (ObjectNode) stage;
      if (s.has("requiredSoakTime")) {
        out.accept(
            "plan: the canary soak is shortened from "
                + s.get("requiredSoakTime").asText()
                + " to "
                + Durations.format(options.soak())
                + " for the demo (--soak)");
        s.put("requiredSoakTime", Durations.format(options.soak()));
      }
      s.put("onFailure", options.onFailure().name());
    }
    return o;
  }

  private static ObjectNode baselinePlan() {
    ObjectNode o = Examples.first("Plan");
    o.remove("metadata");
    o.putObject("metadata").put("name", BASELINE_PLAN);
    ObjectNode stage = o.putObject("spec").putArray("stages").addObject();
    stage.put("name", "all");
    stage.putObject("selector").putObject("matchLabels").put("fleet", "shop");
    return o;
  }

  private static ObjectNode clusterManifest(String name) {
    ObjectNode o = Examples.first("Cluster");
    o.remove("metadata");
    ObjectNode meta = o.putObject("metadata").put("name", name);
    meta.putObject("labels")
        .put("fleet", "shop")
        .put("stage", name.startsWith("canary") ? "canary" : "prod");
    String[] parts = name.split("-");
    ((ObjectNode) o.get("spec"))
        .put(
            "displayName",
            (parts[0].equals("canary") ? "Canary" : "Production")
                + ", "
                + (parts[1].equals("eu") ? "Frankfurt" : "Virginia")
                + " "
                + parts[2]);
    return o;
  }

  private void create(ObjectNode o) {
    client.resource(Examples.typed(o)).inNamespace(NAMESPACE).create();
  }

  private void startClusters() {
    agentGatewayPort = agentReplica().gatewayPort();
    Path ca = write(hubCaFile(), caPem(hub.trustAnchors()));
    Path pub = write(signingKeyFile(), key.publicKeyPem());
    Path otherPub = write(dir.resolve("some-other-key.pub"), SigningKey.generate().publicKeyPem());
    List<String> names = DemoOptions.clusterNames(options.clusters());
    List<java.util.concurrent.Future<SimCluster>> starting = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
      for (String name : names) {
        starting.add(pool.submit(() -> SimCluster.start(name, OLD_WEB, OLD_API)));
      }
      for (int i = 0; i < names.size(); i++) {
        SimCluster c = starting.get(i).get();
        clusters.put(names.get(i), c);
        resources.add(c);
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("starting a simulated cluster failed: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    Instant deadline = Instant.now().plusSeconds(30);
    for (SimCluster c : clusters.values()) {
      while (!c.baselineConverged()) {
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException(
              c.name() + ": the fake controllers did not converge the seeded objects in 30 s");
        }
        pause(Duration.ofMillis(50));
      }
    }
    out.accept(
        options.clusters()
            + " clusters, each with its own API server, HelmRelease shop/web "
            + OLD_WEB
            + " (fake Flux) and Application argocd/api "
            + OLD_API
            + " (fake Argo CD), converged");
    for (SimCluster c : clusters.values()) {
      boolean untrusted = options.untrustedKey().filter(c.name()::equals).isPresent();
      Path stateDir = mkdirs(dir.resolve("agents").resolve(c.name()));
      String token = hub.issueBootstrapToken(NAMESPACE, c.name(), Duration.ofMinutes(10));
      c.startAgent(agentYaml(c.name(), ca, untrusted ? otherPub : pub, stateDir), stateDir, token);
      if (untrusted) {
        out.accept(c.name() + ": its agent trusts " + otherPub + ", not the fleet's key");
      }
    }
    out.accept(
        "agents: one per cluster, enrolled with a bootstrap token, connected over mTLS, pulling from "
            + (registry != null ? "the registry" : "the layout"));
    options
        .fail()
        .ifPresent(
            f -> {
              clusters.get(f).failWebAt(NEW_WEB);
              out.accept(
                  f
                      + ": its fake Flux controller will fail web "
                      + NEW_WEB
                      + " (--fail); the Plan says onFailure: "
                      + options.onFailure());
            });
  }

  private String agentYaml(String cluster, Path ca, Path trusted, Path stateDir) {
    String source =
        registry != null
            ? "registry: {url: \"%s\", repository: kapro/%s/%s, insecure: true}"
                .formatted(registry.host(), NAMESPACE, cluster)
            : "layout: {path: \"%s\"}".formatted(layoutDir);
    return agentYaml(
        cluster, wiring.agentHub().apply(agentGatewayPort), ca, source, trusted, stateDir, "");
  }

  private static String agentYaml(
      String cluster,
      String hubAddress,
      Path ca,
      String source,
      Path trusted,
      Path stateDir,
      String extra) {
    return """
        cluster: {namespace: %s, name: %s}
        hub: {address: "%s", caFile: "%s"}
        bundleSource:
          %s
        trustedKeys: ["%s"]
        pollInterval: 2s
        allow:
          - {apiVersion: helm.toolkit.fluxcd.io/v2, kind: HelmRelease, namespace: %s, fields: [spec.chart.spec.version]}
          - {apiVersion: argoproj.io/v1alpha1, kind: Application, namespace: %s, fields: [spec.source.targetRevision]}
        stateDir: "%s"
        health: {address: 127.0.0.1, port: 0}
        """
            .formatted(
                NAMESPACE, cluster, hubAddress, ca, source, trusted, WEB_NS, API_NS, stateDir)
        + extra;
  }

  /**
   * Cuts {@code cluster} off from the hub, as an air-gapped site is: its agent (enrolled earlier,
   * its credentials kept in its state directory) restarts with a hub address that leads nowhere,
   * reads bundles from {@code spokeRegistry} (its own registry, fed by {@code kapro mirror push})
   * and writes its evidence artifacts there for {@code kapro mirror pull --content evidence}.
   *
   * @param spokeRegistry the {@code host:port} of the cluster's registry (plain HTTP, loopback)
   */
  public void cutOff(String cluster, String spokeRegistry) {
    int nowhere;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      nowhere = s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path stateDir = agentStateDir(cluster);
    String source =
        "registry: {url: \"%s\", repository: kapro/%s/%s, insecure: true}"
            .formatted(spokeRegistry, NAMESPACE, cluster);
    String yaml =
        agentYaml(
            cluster,
            "127.0.0.1:" + nowhere,
            hubCaFile(),
            source,
            signingKeyFile(),
            stateDir,
            "evidenceSink: {enabled: true, interval: 1s}\n");
    SimCluster c = sim(cluster);
    c.stopAgent();
    c.startAgent(yaml, stateDir, Optional.empty());
    out.accept(cluster + ": cut off from the hub; its agent reads bundles from " + spokeRegistry);
  }

  /** The hub CA certificate(s) the agents trust and evidence is verified with (PEM). */
  public Path hubCaFile() {
    return dir.resolve("hub-ca.pem");
  }

  /** The public half of the fleet's signing key (PEM), what the agents trust. */
  public Path signingKeyFile() {
    return dir.resolve("fleet-signing.pub");
  }

  /** Creates the baseline Promotion (every cluster proves the old versions, all at once). */
  public void applyBaseline() {
    ObjectNode o = promotionManifest();
    o.remove("metadata");
    o.putObject("metadata").put("name", BASELINE_PROMOTION);
    ObjectNode spec = (ObjectNode) o.get("spec");
    spec.put("plan", BASELINE_PLAN);
    ArrayNode units = spec.putArray("units");
    units.addObject().put("name", "web").put("version", OLD_WEB);
    units.addObject().put("name", API).put("version", OLD_API);
    create(o);
  }

  /** Creates the quickstart's Promotion. */
  public void applyPromotion() {
    create(promotionManifest());
  }

  private static ObjectNode promotionManifest() {
    return quickstart().stream()
        .filter(m -> m.kind().equals("Promotion"))
        .findFirst()
        .orElseThrow()
        .object()
        .deepCopy();
  }

  /** Changes the Promotion's versions (a new run supersedes the current one). */
  public void changePromotion(String web, String api) {
    client
        .resources(Promotion.class)
        .withName(PROMOTION)
        .edit(
            p -> {
              p.getSpec().setUnits(List.of(unit("web", web), unit(API, api)));
              return p;
            });
  }

  private static UnitVersion unit(String name, String version) {
    UnitVersion u = new UnitVersion();
    u.setName(name);
    u.setVersion(version);
    return u;
  }

  /** Approves {@code stage} of {@code run}, as the Approval the quickstart README shows. */
  public void approve(String run, String stage) {
    Approval a = new Approval();
    a.getMetadata().setName(run + "-" + stage);
    ApprovalSpec spec = new ApprovalSpec();
    spec.setRun(run);
    spec.setStage(stage);
    spec.setDecision(Decision.Approve);
    spec.setApprover("demo@kapro.local");
    spec.setReason("canary looked good");
    a.setSpec(spec);
    client.resource(a).inNamespace(NAMESPACE).create();
  }

  /** The Promotion's current run, if it has one yet. */
  public Optional<String> currentRun(String promotion) {
    Promotion p = client.resources(Promotion.class).withName(promotion).get();
    return Optional.ofNullable(p).map(Promotion::getStatus).map(s -> s.getCurrentRun());
  }

  public Optional<PromotionRun> run(String name) {
    return Optional.ofNullable(client.resources(PromotionRun.class).withName(name).get());
  }

  public List<Target> targets(String run) {
    return client
        .resources(Target.class)
        .withLabel(Kapro.Labels.PROMOTION_RUN, run)
        .list()
        .getItems();
  }

  public List<Cluster> clusters() {
    return client.resources(Cluster.class).list().getItems();
  }

  public Cluster cluster(String name) {
    return client.resources(Cluster.class).withName(name).get();
  }

  /** Names of the simulated clusters, in order. */
  public List<String> clusterNames() {
    return List.copyOf(clusters.keySet());
  }

  /**
   * What the cluster's HelmRelease and Application ask for right now, e.g. {@code
   * web=1.4.0,api=v1.4.0}.
   */
  public String localVersions(String cluster) {
    return clusters.get(cluster).localVersions();
  }

  /** The hub's Prometheus endpoint. */
  public URI hubMetrics() {
    return URI.create("http://127.0.0.1:" + hub.httpPort() + "/metrics");
  }

  /** The Prometheus endpoint of a cluster's agent. */
  public URI agentMetrics(String cluster) {
    return URI.create("http://127.0.0.1:" + clusters.get(cluster).agentHealthPort() + "/metrics");
  }

  /** The kubeconfig of the hub API (namespace {@code shop}). */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /**
   * The cluster's fake Flux controller finds the HelmRelease unhealthy on its next periodic pass
   * ({@code Ready=False} with {@code reason}), without any spec change.
   */
  public void regressWeb(String cluster, String reason, String message) {
    sim(cluster).regressWeb(reason, message);
  }

  /** Someone edits the cluster's HelmRelease {@code spec.chart.spec.version} by hand. */
  public void setWebByHand(String cluster, String version) {
    sim(cluster).setWebByHand(version);
  }

  /** Stops {@code cluster}'s in-process agent (its state directory stays). */
  /** Suspends or resumes the cluster's Flux HelmRelease {@code shop/web}. */
  public void suspendWeb(String cluster, boolean suspend) {
    sim(cluster).suspendWeb(suspend);
  }

  public void stopAgent(String cluster) {
    sim(cluster).stopAgent();
  }

  /** Starts {@code cluster}'s agent again in this process, on its state directory. */
  public void startAgent(String cluster) {
    sim(cluster).restartAgent();
  }

  /** The agent's state directory (credentials, high-water mark, outbox, its agent.yaml). */
  public Path agentStateDir(String cluster) {
    return dir.resolve("agents").resolve(cluster);
  }

  /** The health server port of {@code cluster}'s in-process agent, if it runs. */
  public java.util.OptionalInt agentHealthPort(String cluster) {
    return sim(cluster).healthPort();
  }

  /** A client for {@code cluster}'s own API server (its Flux and Argo CD objects). */
  public KubernetesClient clusterClient(String cluster) {
    return sim(cluster).client();
  }

  /** The kubeconfig of {@code cluster}'s own API server. */
  public Path clusterKubeconfig(String cluster) {
    return sim(cluster).kubeconfig();
  }

  /** The public half of the key the fleet signs with. */
  public java.security.PublicKey signingKey() {
    return key.publicKey();
  }

  /** The registry's {@code host:port} (when bundles go to the registry). */
  public Optional<String> registryHost() {
    return Optional.ofNullable(registry).map(LocalRegistry::host);
  }

  /** The running hub. */
  public synchronized Hub hub() {
    return hub;
  }

  private SimCluster sim(String cluster) {
    SimCluster c = clusters.get(cluster);
    if (c == null) {
      throw new IllegalArgumentException("no cluster " + cluster + "; one of " + clusters.keySet());
    }
    return c;
  }

  public LocalKubeApi hubApi() {
    return hubApi;
  }

  public KubernetesClient client() {
    return client;
  }

  public boolean usesRegistry() {
    return registry != null;
  }

  /** Stops everything, newest first; safe to call twice and from a shutdown hook. */
  @Override
  public synchronized void close() {
    for (AutoCloseable r : resources.reversed()) {
      try {
        r.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed: {}", r.getClass().getSimpleName(), e.toString());
      }
    }
    resources.clear();
  }

  private static String caPem(List<X509Certificate> anchors) {
    StringBuilder sb = new StringBuilder();
    for (X509Certificate c : anchors) {
      try {
        sb.append("-----BEGIN CERTIFICATE-----\n")
            .append(Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded()))
            .append("\n-----END CERTIFICATE-----\n");
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException(e);
      }
    }
    return sb.toString();
  }

  private static Path write(Path file, String text) {
    try {
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path mkdirs(Path p) {
    try {
      return Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis()); // polling the demo's own loop, not a test wait
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
