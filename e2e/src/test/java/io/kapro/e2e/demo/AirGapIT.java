package io.kapro.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Timestamp;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.agent.tls.CredentialManager;
import io.kapro.agent.tls.FileCredentialStore;
import io.kapro.agent.tls.TlsChannels;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.UnitPhase;
import io.kapro.api.Examples;
import io.kapro.api.Kapro;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.cli.KaproCli;
import io.kapro.e2e.fault.Fault;
import io.kapro.e2e.fault.FaultProxy;
import io.kapro.hub.Hub;
import io.kapro.hub.HubSettings;
import io.kapro.hub.ca.ClusterId;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.OciManifest;
import io.kapro.oci.evidence.EvidenceVerifier;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.OciLayoutStore;
import io.kapro.oci.store.RegistryConfig;
import io.kapro.oci.store.RegistryStore;
import io.kapro.oci.testing.LocalRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Air gap, end to end: a cluster with no route to the hub's gateway is fed only through {@code
 * kapro mirror pull} → OCI layout → {@code kapro mirror push} into its own registry (a second
 * distribution registry), converges, and its evidence comes back the reverse way (agent → spoke
 * registry → mirror pull → layout → mirror push → hub registry → hub import) until its Target is
 * Converged with the spoke's timestamps. Along the way: a push cut midway and rerun, an incremental
 * pull after one cluster's bundle changed, and a tampered blob refused on push. The {@code kapro}
 * command lines are the ones docs/air-gap.md shows.
 */
class AirGapIT {
  static final String NS = "shop";
  static final String EDGE1 = "kapro/shop/edge-1";
  static final String EDGE2 = "kapro/shop/edge-2";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  final List<AutoCloseable> resources = new ArrayList<>();
  final SigningKey fleetKey = SigningKey.generate();
  LocalKubeApi hubApi;
  KubernetesClient client;
  LocalRegistry hubRegistry;
  LocalRegistry spokeRegistry;
  Hub hub;
  Path fleetPub;
  Path hubCa;

  @AfterEach
  void stop() {
    for (AutoCloseable r : resources.reversed()) {
      try {
        r.close();
      } catch (Exception e) {
        // keep closing
      }
    }
  }

  private <T extends AutoCloseable> T keep(T r) {
    resources.add(r);
    return r;
  }

  record Run(int exit, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + this, e);
      }
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** Runs {@code kapro <line>} in-process; {@code line} is split on blanks. */
  static Run kapro(String line) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        KaproCli.execute(new PrintWriter(out), new PrintWriter(err), line.strip().split("\\s+"));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  @Timeout(360)
  void aClusterWithoutARouteToTheHubConvergesAndReportsThroughTheMirror() throws Exception {
    startHub();
    applyFleet();
    // 1. The hub publishes: both clusters get a bundle in the hub's registry.
    client.resource(Examples.typed(promotion())).inNamespace(NS).create();
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () -> desired(hubStore(), EDGE1).isPresent() && desired(hubStore(), EDGE2).isPresent());

    // 2. Connected side: export into a layout (the USB stick).
    String hub = "http://" + hubRegistry.host();
    String usb = "oci:" + dir.resolve("usb");
    Run pull =
        kapro(
            "mirror pull --from %s --insecure --to %s --key %s --cluster shop/edge-1 --cluster shop/edge-2"
                .formatted(hub, usb, fleetPub));
    assertThat(pull.exit()).as(pull.toString()).isZero();

    // 3. Disconnected side: import into the spoke registry; the first attempt is cut midway.
    pushCutMidwayThenRerun(usb);
    try (BundleStore spoke = spokeStore();
        BundleStore layout = OciLayoutStore.directory(dir.resolve("usb"))) {
      // what was carried (the hub may have re-published since: its known extra sequence)
      assertThat(desired(spoke, EDGE1)).isEqualTo(desired(layout, EDGE1)).isPresent();
      assertThat(desired(spoke, EDGE2)).isEqualTo(desired(layout, EDGE2)).isPresent();
    }

    // 4. The disconnected agent converges from its own registry and writes evidence artifacts.
    SimCluster edge1 = keep(SimCluster.start("edge-1", DemoFleet.OLD_WEB, DemoFleet.OLD_API));
    await().atMost(Duration.ofSeconds(30)).until(edge1::baselineConverged);
    startDisconnectedAgent(edge1);
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> edge1.localVersions().equals("web=1.4.0,api=v1.4.0"));

    // 5. Evidence goes back the reverse path until the hub's Target is Converged.
    String spokeUrl = "http://" + spokeRegistry.host();
    String back = "oci:" + dir.resolve("evidence.tar");
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              Run out =
                  kapro(
                      ("mirror pull --from %s --insecure --to %s --key %s --content evidence"
                              + " --evidence-ca %s --cluster shop/edge-1")
                          .formatted(spokeUrl, back, fleetPub, hubCa));
              // not yet: no evidence artifact, or one not yet complete (a pull that finds no
              // artifact for the cluster copies nothing and writes no tar)
              if (out.exit() != 0 || !java.nio.file.Files.exists(dir.resolve("evidence.tar"))) {
                return false;
              }
              Run in =
                  kapro(
                      ("mirror push --from %s --to %s --insecure --key %s --content evidence"
                              + " --evidence-ca %s --all")
                          .formatted(back, hub, fleetPub, hubCa));
              assertThat(in.exit()).as(in.toString()).isZero();
              return target("edge-1")
                  .map(t -> t.getStatus().getPhase())
                  .filter(TargetPhase.Converged::equals)
                  .isPresent();
            });
    Target converged = target("edge-1").orElseThrow();
    AgentMessage proof = convergedEvidence(converged.getStatus().getEvidence().getNumber());
    assertThat(converged.getStatus().getEvidence().getUnits())
        .isNotEmpty()
        .allSatisfy(
            u -> {
              Timestamp spokeTime =
                  proof.getEvidence().getUnitsList().stream()
                      .filter(x -> x.getUnit().equals(u.getUnit()))
                      .findFirst()
                      .orElseThrow()
                      .getObservedAt();
              assertThat(u.getObservedAt())
                  .isEqualTo(Instant.ofEpochSecond(spokeTime.getSeconds()).toString());
            });
    Cluster c = client.resources(Cluster.class).inNamespace(NS).withName("edge-1").get();
    assertThat(c.getStatus().getLastEvidenceNumber())
        .isGreaterThanOrEqualTo(converged.getStatus().getEvidence().getNumber());
    assertThat(c.getStatus().getAgentVersion()).as("never connected to the gateway").isNull();

    // 6. Incremental: only edge-2's bundle changes (the hub re-issues it); a second pull into the
    //    same layout copies that bundle's objects only: 2 manifests, 3 blobs (payload, signature
    //    config and payload; the empty config is shared).
    Run settle =
        kapro(
            "mirror pull --from %s --insecure --to %s --key %s --cluster shop/edge-1 --cluster shop/edge-2"
                .formatted(hub, usb, fleetPub));
    assertThat(settle.exit()).as(settle.toString()).isZero();
    Run settled =
        kapro(
            "mirror push --from %s --to %s --insecure --key %s --all"
                .formatted(usb, spokeUrl, fleetPub));
    assertThat(settled.exit()).as(settled.toString()).isZero();
    String before = desired(hubStore(), EDGE2).orElseThrow();
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> this.hub.publisher().reissueIfDue(new ClusterId(NS, "edge-2")).isPresent());
    String reissued = desired(hubStore(), EDGE2).orElseThrow();
    assertThat(reissued).isNotEqualTo(before);
    Run again =
        kapro(
            ("mirror pull --from %s --insecure --to %s --key %s --cluster shop/edge-1 --cluster"
                    + " shop/edge-2 -o json")
                .formatted(hub, usb, fleetPub));
    assertThat(again.exit()).as(again.toString()).isZero();
    JsonNode counts = again.json().get("counts");
    assertThat(counts.get("manifestsCopied").asInt()).isEqualTo(2);
    assertThat(counts.get("blobsCopied").asInt()).isEqualTo(3);
    for (JsonNode r : again.json().get("repositories")) {
      assertThat(r.get("copied").asInt())
          .as(r.toString())
          .isEqualTo(r.get("repository").asText().equals(EDGE2) ? 1 : 0);
    }

    // 7. A blob of that new bundle is altered on the medium: push refuses it, names it, imports
    //    nothing of it; the spoke keeps its previous desired.
    tamperPayload(dir.resolve("usb"), EDGE2, reissued);
    Run tampered =
        kapro(
            "mirror push --from %s --to %s --insecure --key %s --all"
                .formatted(usb, spokeUrl, fleetPub));
    assertThat(tampered.exit()).as(tampered.toString()).isEqualTo(1);
    assertThat(tampered.err())
        .contains("refused: bundle " + EDGE2 + "@" + reissued, "LAYER_DIGEST_MISMATCH");
    try (BundleStore spoke = spokeStore()) {
      assertThat(spoke.resolve(EDGE2, reissued)).isEmpty();
      assertThat(desired(spoke, EDGE2)).contains(before);
      assertThat(Consistency.violations(spoke, List.of(EDGE1, EDGE2))).isEmpty();
    }
  }

  private void startHub() {
    hubApi = keep(LocalKubeApi.start());
    client = keep(hubApi.newClient(NS));
    hubRegistry = keep(LocalRegistry.startPlain());
    spokeRegistry = keep(LocalRegistry.startPlain());
    HubSettings settings =
        new HubSettings(
                "kapro-system",
                "127.0.0.1",
                0,
                List.of("localhost", "127.0.0.1"),
                "127.0.0.1",
                0,
                "kapro-hub-ca",
                false,
                Duration.ofSeconds(1),
                Duration.ofHours(1))
            .withEvidenceImport(Duration.ofSeconds(1));
    hub = keep(Hub.start(hubApi.client(), settings, Clock.systemUTC()));
    hubCa = write("hub-ca.pem", pem(hub.trustAnchors()));
    fleetPub = write("fleet.pub", fleetKey.publicKeyPem());
  }

  private void applyFleet() throws IOException {
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("kapro-signing")
                .endMetadata()
                .addToStringData("cosign.key", fleetKey.privateKeyPem())
                .build())
        .create();
    ObjectNode fleet =
        Examples.read(Examples.repoRoot().resolve("examples/quickstart/fleet.yaml")).stream()
            .filter(m -> m.kind().equals("Fleet"))
            .findFirst()
            .orElseThrow()
            .object()
            .deepCopy();
    ObjectNode spec = (ObjectNode) fleet.get("spec");
    ((ObjectNode) spec.get("registry")).put("url", hubRegistry.host());
    spec.put("bundleTTL", "10m");
    spec.put("reissueBefore", "9m50s");
    client.resource(Examples.typed(fleet)).inNamespace(NS).create();

    ObjectNode plan = Examples.first("Plan");
    plan.remove("metadata");
    plan.putObject("metadata").put("name", "all-at-once");
    ObjectNode stage = plan.putObject("spec").putArray("stages").addObject();
    stage.put("name", "all");
    stage.putObject("selector").putObject("matchLabels").put("fleet", "shop");
    client.resource(Examples.typed(plan)).inNamespace(NS).create();
    for (String name : List.of("edge-1", "edge-2")) {
      ObjectNode c = Examples.first("Cluster");
      c.remove("metadata");
      c.putObject("metadata").put("name", name).putObject("labels").put("fleet", "shop");
      client.resource(Examples.typed(c)).inNamespace(NS).create();
    }
  }

  private static ObjectNode promotion() {
    ObjectNode p = Examples.first("Promotion");
    p.remove("metadata");
    p.putObject("metadata").put("name", "shop-1-4-0");
    ObjectNode spec = (ObjectNode) p.get("spec");
    spec.put("fleet", "shop").put("plan", "all-at-once");
    var units = spec.putArray("units");
    units.addObject().put("name", "web").put("version", DemoFleet.NEW_WEB);
    units.addObject().put("name", "api").put("version", DemoFleet.NEW_API);
    return p;
  }

  /** The first push goes through a proxy that resets every connection once data flowed. */
  private void pushCutMidwayThenRerun(String usb) {
    FaultProxy proxy = keep(FaultProxy.start("127.0.0.1", spokeRegistry.port()));
    proxy.set(new Fault.Bandwidth(4096));
    CompletableFuture<Run> cut =
        CompletableFuture.supplyAsync(
            () ->
                kapro(
                    "mirror push --from %s --to http://%s --insecure --key %s --all --parallelism 1"
                        .formatted(usb, proxy.hostAndPort(), fleetPub)),
            // its own thread, as the command has in a real process: on the common fork-join pool
            // (one worker on 2 cores) the HTTP client's completions queued behind the blocked
            // command, and the registry probe waited out its whole timeout
            r -> Thread.ofPlatform().name("kapro-mirror-push").start(r));
    await().atMost(Duration.ofSeconds(30)).until(() -> proxy.upstreamBytes() > 3000);
    proxy.set(new Fault.Reset());
    Run failed = cut.join();
    assertThat(failed.exit()).as(failed.toString()).isNotZero();
    assertThat(failed.err()).contains("run the same command again");
    try (BundleStore spoke = spokeStore()) {
      assertThat(Consistency.violations(spoke, List.of(EDGE1, EDGE2))).isEmpty();
      assertThat(desired(spoke, EDGE1).isPresent() && desired(spoke, EDGE2).isPresent())
          .as("the cut left the push incomplete")
          .isFalse();
    }
    proxy.set(new Fault.PassThrough());
    Run rerun =
        kapro(
            "mirror push --from %s --to http://%s --insecure --key %s --all"
                .formatted(usb, spokeRegistry.host(), fleetPub));
    assertThat(rerun.exit()).as(rerun.toString()).isZero();
    try (BundleStore spoke = spokeStore()) {
      assertThat(Consistency.violations(spoke, List.of(EDGE1, EDGE2))).isEmpty();
    }
  }

  /**
   * Enrolled once (while it still had a route, or with a token carried over), then cut off: its hub
   * address leads nowhere; it reads bundles from the spoke registry and writes evidence there.
   */
  private void startDisconnectedAgent(SimCluster edge1) throws IOException {
    Path state = Files.createDirectories(dir.resolve("agent-edge-1"));
    String token = hub.issueBootstrapToken(NS, "edge-1", Duration.ofMinutes(5));
    new CredentialManager(
            new FileCredentialStore(state),
            new TlsChannels("127.0.0.1", hub.gatewayPort(), null),
            Clock.systemUTC(),
            io.kapro.agent.Agent.VERSION)
        .start(Optional.of(token), hub.trustAnchors());
    int nowhere;
    try (ServerSocket s = new ServerSocket(0)) {
      nowhere = s.getLocalPort();
    }
    String yaml =
        """
        cluster: {namespace: %s, name: edge-1}
        hub: {address: "127.0.0.1:%d", caFile: "%s"}
        bundleSource:
          registry: {url: "%s", repository: %s, insecure: true}
        trustedKeys: ["%s"]
        pollInterval: 1s
        allow:
          - {apiVersion: helm.toolkit.fluxcd.io/v2, kind: HelmRelease, namespace: %s, fields: [spec.chart.spec.version]}
          - {apiVersion: argoproj.io/v1alpha1, kind: Application, namespace: %s, fields: [spec.source.targetRevision]}
        stateDir: "%s"
        health: {address: 127.0.0.1, port: 0}
        evidenceSink: {enabled: true, interval: 1s}
        """
            .formatted(
                NS,
                nowhere,
                hubCa,
                spokeRegistry.host(),
                EDGE1,
                fleetPub,
                SimCluster.WEB_NS,
                SimCluster.API_NS,
                state);
    edge1.startAgent(yaml, state, Optional.empty());
  }

  /** The agent's own record of evidence {@code number}, read back from its evidence artifacts. */
  private AgentMessage convergedEvidence(long number) throws IOException {
    try (BundleStore spoke = spokeStore()) {
      EvidenceVerifier verifier = new EvidenceVerifier(hub.trustAnchors());
      String repo = EDGE1 + "/evidence";
      for (String tag : spoke.listTags(repo)) {
        if (!tag.startsWith("seq-")) {
          continue;
        }
        ByteArrayInputStream in =
            new ByteArrayInputStream(verifier.verify(spoke, repo, tag).payload());
        AgentMessage m;
        while ((m = AgentMessage.parseDelimitedFrom(in)) != null) {
          if (m.hasEvidence()
              && m.getEvidence().getNumber() == number
              && m.getEvidence().getUnitsList().stream()
                  .allMatch(u -> u.getPhase() == UnitPhase.UNIT_PHASE_CONVERGED)) {
            return m;
          }
        }
      }
    }
    throw new AssertionError("no converged evidence numbered " + number + " in the spoke registry");
  }

  private static void tamperPayload(Path layout, String repo, String digest) throws IOException {
    try (OciLayoutStore store = OciLayoutStore.directory(layout)) {
      OciManifest m = OciManifest.parse(store.fetchManifest(repo, digest, 1 << 16));
      Path blob =
          layout
              .resolve(repo)
              .resolve("blobs/sha256")
              .resolve(Digests.hex(m.layers().get(0).digest()));
      byte[] bytes = Files.readAllBytes(blob);
      bytes[bytes.length / 2] ^= 1;
      Files.write(blob, bytes);
    }
  }

  private Optional<Target> target(String cluster) {
    return client
        .resources(Target.class)
        .inNamespace(NS)
        .withLabel(Kapro.Labels.CLUSTER, cluster)
        .list()
        .getItems()
        .stream()
        .findFirst();
  }

  private BundleStore hubStore() {
    return new RegistryStore(RegistryConfig.plainHttp(hubRegistry.host()));
  }

  private BundleStore spokeStore() {
    return new RegistryStore(RegistryConfig.plainHttp(spokeRegistry.host()));
  }

  private static Optional<String> desired(BundleStore store, String repo) {
    return store.resolve(repo, "desired").map(Descriptor::digest);
  }

  private Path write(String name, String text) {
    try {
      return Files.writeString(dir.resolve(name), text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String pem(List<java.security.cert.X509Certificate> certs) {
    StringBuilder sb = new StringBuilder();
    for (var c : certs) {
      try {
        sb.append("-----BEGIN CERTIFICATE-----\n")
            .append(Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded()))
            .append("\n-----END CERTIFICATE-----\n");
      } catch (java.security.cert.CertificateEncodingException e) {
        throw new IllegalStateException(e);
      }
    }
    return sb.toString();
  }
}
