package io.kapro.agent.bundle;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kapro.agent.apply.BundleApplier;
import io.kapro.agent.apply.ConvergenceJudge;
import io.kapro.agent.apply.LocalObjects;
import io.kapro.agent.config.AllowList;
import io.kapro.agent.config.AllowRule;
import io.kapro.agent.config.FieldPath;
import io.kapro.agent.config.ManagedKind;
import io.kapro.agent.config.NamePattern;
import io.kapro.agent.evidence.FileOutbox;
import io.kapro.agent.health.AgentMetrics;
import io.kapro.agent.health.Readiness;
import io.kapro.agent.link.Backoff;
import io.kapro.agent.link.HubClient;
import io.kapro.agent.link.HubClientOptions;
import io.kapro.agent.link.HubListener;
import io.kapro.agent.testing.FakeArgoController;
import io.kapro.agent.testing.FakeFluxController;
import io.kapro.agent.testing.FakeHub;
import io.kapro.agent.testing.MockKube;
import io.kapro.agent.tls.CredentialManager;
import io.kapro.agent.tls.FileCredentialStore;
import io.kapro.agent.tls.TlsChannels;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.RejectionReason;
import io.kapro.agent.v1.UnitPhase;
import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.ObjectReference;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.testing.TestBundles;
import io.kapro.oci.verify.BundleVerifier;
import io.kapro.oci.verify.ClusterIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * One agent's pull side against real parts: a mock API server with the two objects the test bundles
 * patch (HelmRelease apps/podinfo, Application argocd/guestbook) and fake Flux and Argo CD
 * controllers, a real-TLS stand-in hub with an enrolled {@link HubClient} on a file outbox, and a
 * {@link PullLoop} built the way the agent builds it.
 */
final class PullFixture implements AutoCloseable {
  static final YAMLMapper YAML = new YAMLMapper();
  static final ClusterIdentity CLUSTER = new ClusterIdentity("team-a", "edge-1");
  static final String REPO = "kapro/team-a/edge-1";
  static final ObjectReference HR = TestBundles.helmUnit("podinfo", "x").object();
  static final ObjectReference APP = TestBundles.argoUnit("guestbook", "x").object();
  static final AllowList ALLOW =
      new AllowList(
          List.of(
              rule(HR, "spec.chart.spec.version"),
              rule(APP, "spec.source.targetRevision"),
              new AllowRule(
                  "helm.toolkit.fluxcd.io/v2",
                  "HelmRelease",
                  new NamePattern("apps"),
                  NamePattern.ANY,
                  List.of(FieldPath.parsePattern("spec.chart.spec.version")))));

  final SigningKey hubKey = SigningKey.generate();
  final Path state;
  final MockKube kube = new MockKube();
  final FakeFluxController flux;
  final FakeArgoController argo;
  final FakeHub hub;
  final AgentMetrics metrics = new AgentMetrics();
  final Readiness readiness = new Readiness();
  final CredentialManager credentials;
  final FileOutbox outbox;
  final List<PullLoop> loops = new ArrayList<>();
  HubClient client;
  io.kapro.agent.drift.DriftOptions drift = io.kapro.agent.drift.DriftOptions.DEFAULTS;

  PullFixture(Path state) throws Exception {
    this.state = state;
    create(
        HR,
        "{interval: 10m, chart: {spec: {chart: podinfo, version: 6.5.0, sourceRef: {kind: HelmRepository, name: podinfo}}}}");
    create(
        APP,
        "{project: default, source: {repoURL: 'https://git.example/guestbook.git', path: guestbook, targetRevision: v1.0.0}, destination: {server: 'https://kubernetes.default.svc', namespace: guestbook}}");
    flux = new FakeFluxController(kube.newClient()).startPolling();
    argo = new FakeArgoController(kube.newClient()).startPolling();
    hub = new FakeHub();
    hub.tokens.add("kbt_pull");
    TlsChannels channels = new TlsChannels("127.0.0.1", hub.port(), null);
    credentials =
        new CredentialManager(new FileCredentialStore(state), channels, Clock.systemUTC(), "0.1.0");
    credentials.start(Optional.of("kbt_pull"), List.of(hub.ca.certificate));
    outbox = FileOutbox.open(state.resolve("outbox"));
  }

  static AllowRule rule(ObjectReference ref, String... fields) {
    return new AllowRule(
        ref.apiVersion(),
        ref.kind(),
        new NamePattern(ref.namespace()),
        new NamePattern(ref.name()),
        Stream.of(fields).map(FieldPath::parsePattern).toList());
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
        .genericKubernetesResources(io.kapro.agent.kube.MockKubes.context(ref, kind(ref)))
        .inNamespace(ref.namespace())
        .resource(r)
        .create();
  }

  static ManagedKind kind(ObjectReference ref) {
    return ManagedKind.of(ref.apiVersion(), ref.kind()).orElseThrow();
  }

  JsonNode get(ObjectReference ref) {
    return new LocalObjects(io.kapro.agent.kube.MockKubes.client(kube))
        .get(ref, kind(ref))
        .orElseThrow();
  }

  /** Sets {@code spec.suspend} the way {@code flux suspend} / {@code flux resume} do. */
  void suspend(ObjectReference ref, boolean suspend) {
    kube.client()
        .genericKubernetesResources(io.kapro.agent.kube.MockKubes.context(ref, kind(ref)))
        .inNamespace(ref.namespace())
        .withName(ref.name())
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
            "[{\"op\": \"add\", \"path\": \"/spec/suspend\", \"value\": " + suspend + "}]");
  }

  String helmVersion() {
    return get(HR).path("spec").path("chart").path("spec").path("version").asText();
  }

  String argoRevision() {
    return get(APP).path("spec").path("source").path("targetRevision").asText();
  }

  /** spec, annotations and operation of both objects: proves nothing was touched. */
  Map<ObjectReference, String> snapshot() {
    Map<ObjectReference, String> out = new LinkedHashMap<>();
    for (ObjectReference ref : List.of(HR, APP)) {
      JsonNode o = get(ref);
      out.put(
          ref,
          o.path("spec").toString()
              + o.path("metadata").path("annotations")
              + o.path("operation")
              + o.path("metadata").path("resourceVersion"));
    }
    return out;
  }

  /** Waits for both objects' baseline status from the fake controllers. */
  void awaitBaseline() {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                get(APP).path("status").path("sync").path("status").asText().equals("Synced")
                    && get(HR).path("status").path("observedGeneration").asLong(0) >= 1);
  }

  static BundlePayload payload(long sequence, String helm, String argo) {
    return payload(sequence, List.of(helmUnit(helm), argoUnit(argo)));
  }

  static BundlePayload payload(long sequence, List<BundleUnit> units) {
    Instant now = Instant.now();
    return BundlePayload.of(
        CLUSTER.name(),
        CLUSTER.namespace(),
        "fleet-a",
        "promo-1-run-1",
        sequence,
        now.minusSeconds(60),
        now.plus(Duration.ofHours(1)),
        units,
        false);
  }

  static BundleUnit helmUnit(String version) {
    return TestBundles.helmUnit("podinfo", version);
  }

  static BundleUnit argoUnit(String revision) {
    return TestBundles.argoUnit("guestbook", revision);
  }

  /** Signs and publishes {@code payload} at {@code repo} (tag desired last); returns its digest. */
  String publish(BundleStore store, String repo, BundlePayload payload) {
    return store.put(repo, SignedBundle.sign(payload, hubKey, repo));
  }

  BundleVerifier verifier(Clock clock) {
    return BundleVerifier.builder(TrustedKeys.of(hubKey.publicKey()), CLUSTER)
        .clock(clock)
        .patchPolicy(new AllowListPolicy(ALLOW))
        .build();
  }

  /** Starts the hub link (state from {@code loopState}). */
  HubClient connect(PullState loopState) {
    client =
        new HubClient(
            () -> new TlsChannels("127.0.0.1", hub.port(), null).mutual(credentials.current()),
            outbox,
            loopState,
            new HubListener() {
              @Override
              public void onBundleAvailable(long seq, String digest) {
                loops.forEach(l -> l.nudge(seq, digest));
              }

              @Override
              public void onSettings(io.kapro.agent.v1.Settings settings) {
                loops.forEach(l -> l.hubFloor(settings.getMinBundleSequence()));
              }
            },
            new HubClientOptions(
                "0.1.0",
                List.of("flux", "argocd"),
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), new SplittableRandom(3)),
                Duration.ofSeconds(30),
                Clock.systemUTC()));
    client.start();
    return client;
  }

  /** A pull loop on {@code store}/{@code repo}, state in {@code dir}, reporting through the hub. */
  PullLoop loop(BundleStore store, String repo, Path dir, Duration pollEvery, Clock verifyClock) {
    return loop(
        store,
        repo,
        dir,
        pollEvery,
        verifyClock,
        new FileHighWaterMarkStore(dir),
        false,
        Clock.systemUTC());
  }

  /**
   * As above, with the high-water mark in {@code marks}; {@code awaitFloor}: a fresh agent that
   * applies nothing before the hub told its floor (as {@code Agent} wires it); the loop's own clock
   * (expiry tracking) is {@code loopClock}.
   */
  PullLoop loop(
      BundleStore store,
      String repo,
      Path dir,
      Duration pollEvery,
      Clock verifyClock,
      HighWaterMarkStore marks,
      boolean awaitFloor,
      Clock loopClock) {
    AppliedBundleFile applied = new AppliedBundleFile(dir);
    PullState loaded = PullLoop.loadState(marks, applied, Clock.systemUTC());
    if (awaitFloor) {
      loaded.awaitFloor();
    }
    PullLoop loop =
        new PullLoop(
            store,
            verifier(verifyClock),
            new BundleApplier(io.kapro.agent.kube.MockKubes.client(kube), ALLOW, Clock.systemUTC()),
            new ConvergenceJudge(new LocalObjects(io.kapro.agent.kube.MockKubes.client(kube))),
            marks,
            applied,
            loaded,
            m -> client.report(m),
            metrics,
            readiness,
            new PullOptions(
                repo,
                "desired",
                () -> pollEvery,
                Duration.ofMillis(100),
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(300), new SplittableRandom(5)),
                loopClock,
                drift),
            CLUSTER.toString());
    loops.add(loop);
    if (client == null) {
      connect(loaded); // after the loop is known: the hello's answer raises its floor
    }
    return loop;
  }

  PullLoop loop(BundleStore store, Duration pollEvery) throws Exception {
    return loop(
        store, REPO, Files.createDirectories(state.resolve("pull")), pollEvery, Clock.systemUTC());
  }

  /** Evidence messages the hub received about bundle {@code sequence}. */
  List<AgentMessage> evidenceFor(long sequence) {
    return hub.evidence.stream()
        .filter(m -> m.hasEvidence() && m.getEvidence().getBundleSequence() == sequence)
        .toList();
  }

  boolean hubSawConverged(long sequence) {
    return evidenceFor(sequence).stream()
        .anyMatch(
            m ->
                m.getEvidence().getUnitsCount() == 2
                    && m.getEvidence().getUnitsList().stream()
                        .allMatch(u -> u.getPhase() == UnitPhase.UNIT_PHASE_CONVERGED));
  }

  List<RejectionReason> rejections() {
    return hub.evidence.stream()
        .filter(AgentMessage::hasRejection)
        .map(m -> m.getRejection().getReason())
        .toList();
  }

  @Override
  public void close() throws Exception {
    loops.forEach(PullLoop::close);
    if (client != null) {
      client.close();
    }
    outbox.close();
    flux.close();
    argo.close();
    hub.close();
    kube.close();
  }
}
