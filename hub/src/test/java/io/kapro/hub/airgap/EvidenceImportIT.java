package io.kapro.hub.airgap;

import static io.kapro.hub.publish.PublishFixture.NS;
import static io.kapro.hub.publish.PublishFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.Evidence;
import io.kapro.agent.v1.UnitEvidence;
import io.kapro.agent.v1.UnitPhase;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.ca.HubCa;
import io.kapro.hub.cluster.KubeClusterDirectory;
import io.kapro.hub.evidence.KubeEvidenceSink;
import io.kapro.hub.publish.FleetStores;
import io.kapro.hub.publish.PublishFixture;
import io.kapro.hub.target.PublishedBundle;
import io.kapro.oci.evidence.EvidenceArtifact;
import io.kapro.oci.evidence.EvidenceStore;
import io.kapro.oci.mirror.RepositoryKind;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.verify.ClusterIdentity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hub imports evidence artifacts from its registry (the real distribution registry) into Target
 * and Cluster status, once, and only when the hub CA certified the signer for the cluster.
 */
class EvidenceImportIT {
  static final ClusterId EU = new ClusterId(NS, "eu-1");
  final PublishFixture hub = new PublishFixture();
  final HubCa ca = HubCa.of(HubCa.generate(hub.clock), hub.clock);
  final KubeClusterDirectory directory = KubeClusterDirectory.start(hub.client, null);
  final FleetStores stores = new FleetStores(hub.client);
  final EvidenceImporter importer =
      new EvidenceImporter(
          hub.client,
          stores,
          directory,
          new KubeEvidenceSink(hub.client, hub.clock),
          ca.trustAnchors(),
          hub.clock);
  final BundleStore registry = hub.store();
  final String repo = RepositoryKind.evidenceRepository(hub.repository("eu-1"));

  @AfterEach
  void close() {
    importer.close();
    stores.close();
    directory.close();
    hub.close();
  }

  record Signer(SigningKey key, X509Certificate cert) {}

  Signer signer(HubCa by, ClusterId cluster) {
    KeyPair kp = HubCa.newKeyPair();
    return new Signer(
        SigningKey.of(kp), by.issueClient(cluster, kp.getPublic(), Duration.ofDays(30)));
  }

  static AgentMessage evidence(long n, PublishedBundle b, UnitPhase phase, Instant observed) {
    return AgentMessage.newBuilder()
        .setEvidence(
            Evidence.newBuilder()
                .setNumber(n)
                .setBundleSequence(b.sequence())
                .setBundleDigest(b.digest())
                .setRecordedAt(ts(observed))
                .addUnits(
                    UnitEvidence.newBuilder()
                        .setUnit("web")
                        .setPhase(phase)
                        .setDesiredVersion("1.0.0")
                        .setObservedRevision("1.0.0@sha256:" + "e".repeat(64))
                        .setObservedAt(ts(observed))))
        .build();
  }

  static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).build();
  }

  void write(Signer s, long seq, AgentMessage... items) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (AgentMessage m : items) {
      m.writeDelimitedTo(out);
    }
    EvidenceStore.put(
        registry,
        repo,
        EvidenceArtifact.create(
            new ClusterIdentity(NS, "eu-1"),
            seq,
            hub.clock.instant(),
            out.toByteArray(),
            s.key(),
            List.of(s.cert()),
            repo));
  }

  PublishedBundle publish() {
    Map<String, String> web = Map.of("web", "1.0.0");
    hub.target("run1-prod-eu-1", "eu-1", "run1", web);
    PublishedBundle b = hub.publisher().publish(request("run1-prod-eu-1", "eu-1", "run1", web));
    Target t = hub.getTarget("run1-prod-eu-1");
    t.getStatus().setPhase(TargetPhase.Published);
    hub.client.resource(t).updateStatus();
    await().until(() -> directory.bundleOwner(b.digest()).isPresent());
    return b;
  }

  @Test
  void importsOnceWithTheSpokesTimestampsAndRefusesForgeries() throws Exception {
    hub.cluster("eu-1");
    PublishedBundle b = publish();
    Signer agent = signer(ca, EU);
    Instant spoke = Instant.parse("2026-11-22T00:42:00Z");
    write(
        agent,
        2,
        evidence(1, b, UnitPhase.UNIT_PHASE_PROGRESSING, spoke.minusSeconds(60)),
        evidence(2, b, UnitPhase.UNIT_PHASE_CONVERGED, spoke));

    assertThat(importer.importOnce()).isEqualTo(new EvidenceImporter.Pass(1, 2, 0));
    Target t = hub.getTarget("run1-prod-eu-1");
    assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Converged);
    assertThat(t.getStatus().getEvidence().getNumber()).isEqualTo(2);
    assertThat(t.getStatus().getEvidence().getUnits().get(0).getObservedAt())
        .isEqualTo("2026-11-22T00:42:00Z");
    assertThat(hub.getCluster("eu-1").getStatus().getLastEvidenceNumber()).isEqualTo(2);
    String targetVersion = t.getMetadata().getResourceVersion();
    String clusterVersion = hub.getCluster("eu-1").getMetadata().getResourceVersion();

    // the same artifacts again (the next interval, another replica): nothing changes
    assertThat(importer.importOnce()).isEqualTo(new EvidenceImporter.Pass(1, 0, 0));
    assertThat(hub.getTarget("run1-prod-eu-1").getMetadata().getResourceVersion())
        .isEqualTo(targetVersion);
    assertThat(hub.getCluster("eu-1").getMetadata().getResourceVersion()).isEqualTo(clusterVersion);

    // signed by a key another CA certified, by another cluster's key: refused, nothing imported
    HubCa other = HubCa.of(HubCa.generate(hub.clock), hub.clock);
    write(signer(other, EU), 3, evidence(3, b, UnitPhase.UNIT_PHASE_DEGRADED, spoke));
    hub.cluster("us-1");
    write(
        signer(ca, new ClusterId(NS, "us-1")),
        4,
        evidence(4, b, UnitPhase.UNIT_PHASE_DEGRADED, spoke));
    assertThat(importer.importOnce()).isEqualTo(new EvidenceImporter.Pass(1, 0, 2));
    assertThat(hub.getTarget("run1-prod-eu-1").getStatus().getPhase())
        .isEqualTo(TargetPhase.Converged);
    assertThat(hub.getCluster("eu-1").getStatus().getLastEvidenceNumber()).isEqualTo(2);
  }

  @Test
  void aRevokedCertificateIsRefused() throws Exception {
    hub.cluster("eu-1");
    PublishedBundle b = publish();
    Signer agent = signer(ca, EU);
    Cluster c = hub.getCluster("eu-1");
    if (c.getStatus() == null) {
      c.setStatus(new ClusterStatus());
    }
    c.getStatus().setRevokedSerials(List.of(agent.cert().getSerialNumber().toString(16)));
    hub.client.resource(c).updateStatus();
    await()
        .until(
            () ->
                directory
                    .find(EU)
                    .map(e -> e.revokedSerials().contains(agent.cert().getSerialNumber()))
                    .orElse(false));
    write(agent, 1, evidence(1, b, UnitPhase.UNIT_PHASE_CONVERGED, hub.clock.instant()));
    assertThat(importer.importOnce()).isEqualTo(new EvidenceImporter.Pass(1, 0, 1));
    assertThat(hub.getTarget("run1-prod-eu-1").getStatus().getPhase())
        .isEqualTo(TargetPhase.Published);
  }
}
