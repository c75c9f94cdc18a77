package io.kapro.hub.evidence;

import static io.kapro.hub.publish.PublishFixture.NS;
import static io.kapro.hub.publish.PublishFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.kapro.agent.v1.AgentGatewayGrpc;
import io.kapro.agent.v1.EnrollRequest;
import io.kapro.agent.v1.EnrollResponse;
import io.kapro.agent.v1.HubMessage;
import io.kapro.agent.v1.Settings;
import io.kapro.agent.v1.UnitPhase;
import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Enrollment;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.ca.BootstrapTokens;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.ca.HubCa;
import io.kapro.hub.ca.SecretCaStore;
import io.kapro.hub.ca.SecretTokenStore;
import io.kapro.hub.ca.TestKeys;
import io.kapro.hub.cluster.ConnectivityStatusWriter;
import io.kapro.hub.cluster.KubeClusterDirectory;
import io.kapro.hub.cluster.connectivity.ConnectivityTracker;
import io.kapro.hub.gateway.Gateway;
import io.kapro.hub.publish.FleetPublisher;
import io.kapro.hub.publish.PublishFixture;
import io.kapro.hub.target.PublishedBundle;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real gateway (port 0, mTLS, CA and bootstrap tokens in Secrets) wired to the Kubernetes
 * implementations on the local API server, and the real publisher on the real registry: enroll →
 * connect → publish → nudge → evidence → Target status and ack; revocation closes the stream.
 */
class GatewayLinkIT {
  private static final ClusterId EU = new ClusterId(NS, "eu-1");
  private final PublishFixture hub = new PublishFixture();
  private final Clock clock = Clock.systemUTC();
  private final HubCa ca =
      HubCa.loadOrCreate(new SecretCaStore(hub.client, NS, "kapro-hub-ca"), clock);
  private final BootstrapTokens tokens =
      new BootstrapTokens(new SecretTokenStore(hub.client, NS), clock);
  private final KubeClusterDirectory directory = KubeClusterDirectory.start(hub.client, NS);
  private final ConnectivityTracker connectivity = new ConnectivityTracker(clock);
  private final Gateway gateway =
      Gateway.builder()
          .ca(ca)
          .tokens(tokens)
          .directory(directory)
          .sink(new KubeEvidenceSink(hub.client, clock))
          .connectivity(connectivity)
          .clock(clock)
          .bind("127.0.0.1", 0)
          .start();
  private final ConnectivityStatusWriter writer =
      new ConnectivityStatusWriter(hub.client, connectivity, clock).start(Duration.ofSeconds(1));
  private final List<ManagedChannel> channels = new ArrayList<>();

  GatewayLinkIT() {
    directory.onBundlePublished(gateway.notifier());
  }

  @AfterEach
  void close() throws Exception {
    for (ManagedChannel ch : channels) {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    writer.close();
    gateway.close();
    directory.close();
    hub.close();
  }

  @Test
  void enrollConnectPublishNudgeEvidenceAckAndRevoke() throws Exception {
    io.kapro.api.v1alpha2.Fleet fleet =
        hub.client
            .resources(io.kapro.api.v1alpha2.Fleet.class)
            .inNamespace(NS)
            .withName(PublishFixture.FLEET)
            .get();
    fleet.getSpec().setHeartbeatIntervalSeconds(7);
    fleet.getSpec().setPollIntervalSeconds(11);
    hub.client.resource(fleet).update();
    hub.cluster("eu-1");
    await()
        .until(
            () ->
                directory
                    .find(EU)
                    .map(e -> e.settings().heartbeatInterval().toSeconds() == 7)
                    .orElse(false));
    KeyPair pair = HubCa.newKeyPair();
    X509Certificate[] chain = enroll(tokens.issue(EU, Duration.ofHours(1)), pair);
    assertThat(chain[0].getSubjectAlternativeNames().toString()).contains(EU.uri());

    Map<Long, Long> nudgedAt = new ConcurrentHashMap<>();
    AgentStream agent =
        AgentStream.open(
            mtls(pair, chain),
            m -> {
              if (m.hasBundleAvailable()) {
                nudgedAt.putIfAbsent(m.getBundleAvailable().getSequence(), System.nanoTime());
              }
            });
    agent.hello();
    await().until(() -> agent.received.stream().anyMatch(HubMessage::hasSettings));
    await()
        .untilAsserted(
            () -> {
              ClusterStatus s = hub.getCluster("eu-1").getStatus();
              assertThat(s).isNotNull();
              assertThat(Conditions.find(s.getConditions(), Kapro.ConditionTypes.CONNECTED))
                  .hasValueSatisfying(
                      c -> assertThat(c.getStatus()).isEqualTo(ConditionStatus.True));
              assertThat(s.getAgentVersion()).isEqualTo("0.1.0");
              assertThat(s.getEnrollment()).isEqualTo(Enrollment.Enrolled);
              assertThat(s.getCertificate().getSerial())
                  .isEqualTo(chain[0].getSerialNumber().toString(16));
            });

    hub.target("run1-prod-eu-1", "eu-1", "run1", Map.of("web", "1.0.0"));
    FleetPublisher publisher = hub.publisher();
    PublishedBundle b =
        publisher.publish(request("run1-prod-eu-1", "eu-1", "run1", Map.of("web", "1.0.0")));
    await().atMost(Duration.ofSeconds(1)).until(() -> agent.nudged(b.sequence()));
    assertThat(
            agent.received.stream()
                .filter(HubMessage::hasBundleAvailable)
                .toList()
                .getLast()
                .getBundleAvailable()
                .getDigest())
        .isEqualTo(b.digest());

    // Evidence arrives while the Target is still Publishing (the reconciler has not caught up): it
    // counts.
    agent.send(
        Evidence.of(
            1, b.sequence(), b.digest(), UnitPhase.UNIT_PHASE_CONVERGED, Map.of("web", "1.0.0")));
    await().until(() -> agent.ackedUpTo() == 1);
    assertThat(hub.getTarget("run1-prod-eu-1").getStatus().getPhase())
        .isEqualTo(TargetPhase.Converged);
    assertThat(hub.getCluster("eu-1").getStatus().getLastEvidenceNumber()).isEqualTo(1);
    assertThat(hub.getCluster("eu-1").getStatus().getVersions().get("web").getVersion())
        .isEqualTo("1.0.0");

    Cluster c = hub.getCluster("eu-1");
    c.getStatus().setRevokedSerials(List.of(chain[0].getSerialNumber().toString(16)));
    hub.client.resource(c).updateStatus();
    await().until(() -> agent.terminal.get() != null);
    assertThat(agent.terminal.get().getCode()).isNotEqualTo(Status.Code.OK);
    assertThat(agent.terminal.get().getDescription()).contains("revoked");
  }

  @Test
  void theAnswerToHelloTellsTheAgentItsFloorAndTheLastDurableEvidenceNumber() throws Exception {
    hub.cluster("eu-1");
    await().until(() -> directory.find(EU).isPresent());
    KeyPair pair = HubCa.newKeyPair();
    X509Certificate[] chain = enroll(tokens.issue(EU, Duration.ofHours(1)), pair);
    AgentStream first = AgentStream.open(mtls(pair, chain), m -> {});
    first.hello();
    await().until(() -> first.received.stream().anyMatch(HubMessage::hasSettings));
    Settings fresh =
        first.received.stream()
            .filter(HubMessage::hasSettings)
            .findFirst()
            .orElseThrow()
            .getSettings();
    assertThat(fresh.getMinBundleSequence()).isZero();
    assertThat(fresh.getLastEvidenceNumber()).isZero();

    hub.target("run1-prod-eu-1", "eu-1", "run1", Map.of("web", "1.0.0"));
    PublishedBundle b =
        hub.publisher().publish(request("run1-prod-eu-1", "eu-1", "run1", Map.of("web", "1.0.0")));
    first.send(
        Evidence.of(
            41, b.sequence(), b.digest(), UnitPhase.UNIT_PHASE_CONVERGED, Map.of("web", "1.0.0")));
    await().until(() -> first.ackedUpTo() == 41);
    await()
        .until(
            () ->
                directory
                    .find(EU)
                    .map(
                        e ->
                            e.acknowledgedSequence() == b.sequence()
                                && e.lastEvidenceNumber() == 41)
                    .orElse(false));

    // the agent comes back with its state lost: hello says nothing applied, no evidence numbered
    AgentStream again = AgentStream.open(mtls(pair, chain), m -> {});
    again.hello();
    await().until(() -> again.received.stream().anyMatch(HubMessage::hasSettings));
    Settings answer =
        again.received.stream()
            .filter(HubMessage::hasSettings)
            .findFirst()
            .orElseThrow()
            .getSettings();
    assertThat(answer.getMinBundleSequence()).isEqualTo(b.sequence());
    assertThat(answer.getLastEvidenceNumber()).isEqualTo(41);
  }

  @Test
  void aRenewalRecordsTheNewCertificateInTheClusterAndTheRenewedOneIsRefusedAtOnce()
      throws Exception {
    hub.cluster("eu-1");
    await().until(() -> directory.find(EU).isPresent());
    KeyPair pair = HubCa.newKeyPair();
    X509Certificate[] chain = enroll(tokens.issue(EU, Duration.ofHours(1)), pair);
    assertThat(hub.getCluster("eu-1").getStatus().getCertificate().getSerial())
        .isEqualTo(chain[0].getSerialNumber().toString(16));
    assertThat(hub.getCluster("eu-1").getStatus().getEnrollment()).isEqualTo(Enrollment.Enrolled);

    KeyPair next = HubCa.newKeyPair();
    io.kapro.agent.v1.RenewResponse r =
        AgentGatewayGrpc.newBlockingStub(mtls(pair, chain))
            .renew(
                io.kapro.agent.v1.RenewRequest.newBuilder()
                    .setCsrDer(ByteString.copyFrom(TestKeys.csr(next)))
                    .build());
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    X509Certificate[] renewed = {
      (X509Certificate)
          cf.generateCertificate(
              new ByteArrayInputStream(r.getCertificateChainDer(0).toByteArray())),
      chain[1]
    };
    // written before the answer, with the resourceVersion read
    assertThat(hub.getCluster("eu-1").getStatus().getCertificate().getSerial())
        .isEqualTo(renewed[0].getSerialNumber().toString(16));

    // the renewed certificate works at once (this replica does not wait for its cache) ...
    AgentStream agent = AgentStream.open(mtls(next, renewed), m -> {});
    agent.hello();
    await().until(() -> agent.received.stream().anyMatch(HubMessage::hasSettings));
    // ... and the one it renewed is refused, for a stream and for another renewal
    AgentStream old = AgentStream.open(mtls(pair, chain), m -> {});
    old.hello();
    await().until(() -> old.terminal.get() != null);
    assertThat(old.terminal.get().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(old.terminal.get().getDescription()).contains("was replaced by certificate");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                AgentGatewayGrpc.newBlockingStub(mtls(pair, chain))
                    .renew(
                        io.kapro.agent.v1.RenewRequest.newBuilder()
                            .setCsrDer(ByteString.copyFrom(TestKeys.csr(HubCa.newKeyPair())))
                            .build()))
        .isInstanceOf(io.grpc.StatusRuntimeException.class)
        .hasMessageContaining("UNAUTHENTICATED");
    assertThat(hub.getCluster("eu-1").getStatus().getCertificate().getSerial())
        .isEqualTo(renewed[0].getSerialNumber().toString(16));
  }

  /**
   * A hostile agent with a valid certificate sends 60 messages of nearly 64 KiB each: long unit
   * names, units the hub never sent, long revisions, versions, messages, conditions, drift and
   * rejection details. The Cluster and the Target stay small: strings are capped where they enter
   * the hub, foreign units are dropped, lists are bounded.
   */
  @Test
  void aHostileAgentCannotGrowItsClusterOrTargetStatus() throws Exception {
    hub.cluster("eu-1");
    await().until(() -> directory.find(EU).isPresent());
    KeyPair pair = HubCa.newKeyPair();
    X509Certificate[] chain = enroll(tokens.issue(EU, Duration.ofHours(1)), pair);
    hub.target("run1-prod-eu-1", "eu-1", "run1", Map.of("web", "1.0.0"));
    PublishedBundle b =
        hub.publisher().publish(request("run1-prod-eu-1", "eu-1", "run1", Map.of("web", "1.0.0")));
    AgentStream agent = AgentStream.open(mtls(pair, chain), m -> {});
    agent.hello();
    await().until(() -> agent.received.stream().anyMatch(HubMessage::hasSettings));
    agent.send(
        Evidence.of(
            1, b.sequence(), b.digest(), UnitPhase.UNIT_PHASE_CONVERGED, Map.of("web", "1.0.0")));
    await().until(() -> agent.ackedUpTo() == 1);
    int clusterBefore = json(hub.getCluster("eu-1"));
    int targetBefore = json(hub.getTarget("run1-prod-eu-1"));

    int messages = 60;
    for (int n = 2; n <= messages; n++) {
      io.kapro.agent.v1.AgentMessage m =
          n % 3 == 0 ? hostileRejection(n, b) : hostileEvidence(n, b);
      // (rejections alternate between a transport alarm and one the Target shows in its message)
      assertThat(m.getSerializedSize()).isBetween(50 * 1024, 64 * 1024 - 64);
      agent.send(m);
      if (n % 20 == 0) {
        int upTo = n;
        await().until(() -> agent.ackedUpTo() == upTo); // stay inside the queue's byte budget
      }
    }
    await().until(() -> agent.ackedUpTo() == messages);
    assertThat(agent.terminal.get()).isNull();

    Cluster c = hub.getCluster("eu-1");
    int clusterAfter = json(c);
    int targetAfter = json(hub.getTarget("run1-prod-eu-1"));
    System.out.printf(
        "hostile agent: %d messages of ~60 KiB; Cluster %d -> %d bytes, Target %d -> %d bytes%n",
        messages, clusterBefore, clusterAfter, targetBefore, targetAfter);
    assertThat(c.getStatus().getLastEvidenceNumber()).isEqualTo(messages);
    assertThat(c.getStatus().getVersions()).containsOnlyKeys("web");
    io.kapro.api.v1alpha2.TargetStatus ts = hub.getTarget("run1-prod-eu-1").getStatus();
    assertThat(ts.getEvidence().getNumber()).isEqualTo(messages);
    assertThat(ts.getMessage()).hasSizeLessThanOrEqualTo(1024);
    assertThat(targetAfter).as("the Target took the hostile evidence").isGreaterThan(targetBefore);
    assertThat(clusterAfter).isLessThan(clusterBefore + 12 * 1024);
    assertThat(targetAfter).isLessThan(targetBefore + 24 * 1024);
  }

  private static final String LONG = "z".repeat(1500);

  private static io.kapro.agent.v1.AgentMessage hostileEvidence(long n, PublishedBundle b) {
    io.kapro.agent.v1.Evidence.Builder e =
        io.kapro.agent.v1.Evidence.newBuilder()
            .setNumber(n)
            .setBundleSequence(b.sequence())
            .setBundleDigest(b.digest());
    e.addUnits(
        hostileUnit("web", n % 4 == 0 ? "1.0.0" + LONG : "1.0.0", UnitPhase.UNIT_PHASE_DEGRADED));
    for (int i = 0; e.build().getSerializedSize() < 56 * 1024; i++) {
      // converged units the hub never sent: each would become a proven version on the Cluster
      e.addUnits(
          hostileUnit(
              "u" + n + "-" + i + "-" + "n".repeat(600), LONG, UnitPhase.UNIT_PHASE_CONVERGED));
    }
    return io.kapro.agent.v1.AgentMessage.newBuilder().setEvidence(e).build();
  }

  private static io.kapro.agent.v1.UnitEvidence hostileUnit(
      String name, String version, UnitPhase phase) {
    return io.kapro.agent.v1.UnitEvidence.newBuilder()
        .setUnit(name)
        .setPhase(phase)
        .setDesiredVersion(version)
        .setObservedRevision(LONG)
        .setMessage(LONG)
        .setOwnerConflict(LONG)
        .addConditions(
            io.kapro.agent.v1.ObservedCondition.newBuilder()
                .setType("Ready")
                .setStatus("False")
                .setReason("R" + "r".repeat(400))
                .setMessage(LONG))
        .addDrift(
            io.kapro.agent.v1.FieldDrift.newBuilder()
                .setPath("spec." + "p".repeat(400))
                .setDesired(LONG)
                .setObserved(LONG))
        .build();
  }

  private static io.kapro.agent.v1.AgentMessage hostileRejection(long n, PublishedBundle b) {
    return io.kapro.agent.v1.AgentMessage.newBuilder()
        .setRejection(
            io.kapro.agent.v1.BundleRejection.newBuilder()
                .setNumber(n)
                .setBundleSequence(b.sequence())
                .setBundleDigest(b.digest())
                .setReason(
                    n % 2 == 0
                        ? io.kapro.agent.v1.RejectionReason.REJECTION_REASON_UNSIGNED
                        : io.kapro.agent.v1.RejectionReason.REJECTION_REASON_STATE_UNAVAILABLE)
                .setDetail("d".repeat(60 * 1024)))
        .build();
  }

  private int json(Object o) {
    return hub.client.getKubernetesSerialization().asJson(o).length();
  }

  @Test
  void nudgeAndPublishLatency() throws Exception {
    measure(Integer.getInteger("kapro.link.rounds", 5), "small");
  }

  @Test
  @Tag("bench")
  void nudgeAndPublishLatencyAtScale() throws Exception {
    measure(200, "large");
  }

  private void measure(int rounds, String size) throws Exception {
    hub.cluster("eu-1");
    await().until(() -> directory.find(EU).isPresent()); // enrollment asks the informer's cache
    KeyPair pair = HubCa.newKeyPair();
    X509Certificate[] chain = enroll(tokens.issue(EU, Duration.ofHours(1)), pair);
    Map<Long, Long> nudgedAt = new ConcurrentHashMap<>();
    AgentStream agent =
        AgentStream.open(
            mtls(pair, chain),
            m -> {
              if (m.hasBundleAvailable()) {
                nudgedAt.putIfAbsent(m.getBundleAvailable().getSequence(), System.nanoTime());
              }
            });
    agent.hello();
    await().until(() -> agent.received.stream().anyMatch(HubMessage::hasSettings));
    FleetPublisher publisher = hub.publisher();
    List<Double> publish = new ArrayList<>();
    List<Double> nudge = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      PublishedBundle b =
          publisher.publish(request(null, "eu-1", "run" + i, Map.of("web", "1.0." + i)));
      long published = System.nanoTime();
      await().atMost(Duration.ofSeconds(1)).until(() -> nudgedAt.containsKey(b.sequence()));
      publish.add((published - start) / 1e6);
      nudge.add((nudgedAt.get(b.sequence()) - published) / 1e6);
    }
    String report =
        "link latency ("
            + size
            + ", "
            + rounds
            + " rounds): publish p50 "
            + pct(publish, 50)
            + " ms, p95 "
            + pct(publish, 95)
            + " ms; nudge after publish p50 "
            + pct(nudge, 50)
            + " ms, p95 "
            + pct(nudge, 95)
            + " ms, max "
            + pct(nudge, 100)
            + " ms";
    System.out.println(report);
    Path out = Path.of("target", "benchmarks", "link-latency-" + size + ".txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report + "\n");
    assertThat(nudge).hasSize(rounds);
  }

  private static String pct(List<Double> values, int p) {
    List<Double> sorted = values.stream().sorted().toList();
    int i = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
    return String.format("%.1f", sorted.get(Math.max(0, i)));
  }

  private X509Certificate[] enroll(String token, KeyPair pair) throws Exception {
    EnrollResponse r =
        AgentGatewayGrpc.newBlockingStub(tls(null, null))
            .enroll(
                EnrollRequest.newBuilder()
                    .setBootstrapToken(token)
                    .setAgentVersion("0.1.0")
                    .setCsrDer(ByteString.copyFrom(TestKeys.csr(pair)))
                    .build());
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    X509Certificate[] chain = new X509Certificate[r.getCertificateChainDerCount()];
    for (int i = 0; i < chain.length; i++) {
      chain[i] =
          (X509Certificate)
              cf.generateCertificate(
                  new ByteArrayInputStream(r.getCertificateChainDer(i).toByteArray()));
    }
    return chain;
  }

  private ManagedChannel mtls(KeyPair pair, X509Certificate[] chain) throws Exception {
    return tls(pair, chain);
  }

  private ManagedChannel tls(KeyPair pair, X509Certificate[] chain) throws Exception {
    SslContextBuilder b =
        GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
            .trustManager(ca.certificate())
            .protocols("TLSv1.3");
    if (pair != null) {
      b.keyManager(pair.getPrivate(), chain);
    }
    ManagedChannel ch =
        NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).sslContext(b.build()).build();
    channels.add(ch);
    return ch;
  }
}
