package io.kapro.oci.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.agent.testing.TestCa;
import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.OciManifest;
import io.kapro.oci.mirror.Mirror;
import io.kapro.oci.mirror.MirrorReport;
import io.kapro.oci.mirror.RepositoryKind;
import io.kapro.oci.mirror.Selection;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.OciLayoutStore;
import io.kapro.oci.verify.ClusterIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceArtifactTest {
  private static final TestCa CA = TestCa.create("kapro hub CA");
  private static final ClusterIdentity EDGE = new ClusterIdentity("team-a", "edge-1");
  private static final String REPO =
      RepositoryKind.evidenceRepository(BundleRepository.of("kapro", "team-a", "edge-1"));

  @TempDir Path dir;

  private final TestCa.Issued agent = CA.issueAgent("team-a", "edge-1");

  private EvidenceArtifact artifact(TestCa.Issued signer, ClusterIdentity who, long seq) {
    return EvidenceArtifact.create(
        who,
        seq,
        Instant.now(),
        ("payload " + seq).getBytes(StandardCharsets.UTF_8),
        SigningKey.of(signer.key()),
        List.of(signer.certificate(), CA.certificate()),
        "local/" + REPO);
  }

  private EvidenceVerifier verifier() {
    return new EvidenceVerifier(List.of(CA.certificate()));
  }

  @Test
  void roundTripsAndLatestOnlyMovesForward() {
    BundleStore store = OciLayoutStore.directory(dir);
    EvidenceArtifact two = artifact(agent, EDGE, 2);
    EvidenceArtifact one = artifact(agent, EDGE, 1);
    EvidenceStore.put(store, REPO, two);
    EvidenceStore.put(store, REPO, one);
    EvidenceStore.put(store, REPO, two); // idempotent

    VerifiedEvidence v = verifier().verify(store, REPO, "latest");
    assertThat(v.digest()).isEqualTo(two.digest());
    assertThat(v.sequence()).isEqualTo(2);
    assertThat(v.cluster()).isEqualTo(EDGE);
    assertThat(new String(v.payload(), StandardCharsets.UTF_8)).isEqualTo("payload 2");
    assertThat(verifier().verify(store, REPO, "seq-1").digest()).isEqualTo(one.digest());
    assertThat(EvidenceStore.atSequence(store, REPO, 2)).contains(two.digest());
  }

  @Test
  void refusesAnotherCaAnotherClustersKeyAndTheWrongRepository() {
    BundleStore store = OciLayoutStore.directory(dir);
    TestCa other = TestCa.create("not the hub");
    TestCa.Issued stranger = other.issueAgent("team-a", "edge-1");
    EvidenceStore.put(store, REPO, artifact(stranger, EDGE, 1));
    assertThatThrownBy(() -> verifier().verify(store, REPO, "seq-1"))
        .isInstanceOf(OciException.class)
        .extracting(e -> ((OciException) e).reason())
        .isEqualTo(Reason.UNTRUSTED_KEY);

    TestCa.Issued neighbour = CA.issueAgent("team-a", "edge-2");
    EvidenceStore.put(store, REPO, artifact(neighbour, EDGE, 2));
    assertThatThrownBy(() -> verifier().verify(store, REPO, "seq-2"))
        .hasMessageContaining("spiffe://kapro/ns/team-a/cluster/edge-1")
        .extracting(e -> ((OciException) e).reason())
        .isEqualTo(Reason.WRONG_CLUSTER);

    String otherRepo =
        RepositoryKind.evidenceRepository(BundleRepository.of("kapro", "team-a", "edge-2"));
    EvidenceStore.put(store, otherRepo, artifact(agent, EDGE, 3));
    assertThatThrownBy(() -> verifier().verify(store, otherRepo, "seq-3"))
        .extracting(e -> ((OciException) e).reason())
        .isEqualTo(Reason.WRONG_CLUSTER);
  }

  @Test
  void refusesATamperedPayloadAndAMissingSignature() throws Exception {
    OciLayoutStore store = OciLayoutStore.directory(dir);
    EvidenceArtifact a = artifact(agent, EDGE, 1);
    EvidenceStore.put(store, REPO, a);
    Path blob =
        dir.resolve(REPO).resolve("blobs/sha256").resolve(Digests.hex(Digests.sha256(a.payload())));
    Files.write(blob, "payload X".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> verifier().verify(store, REPO, "seq-1"))
        .extracting(e -> ((OciException) e).reason())
        .isEqualTo(Reason.LAYER_DIGEST_MISMATCH);

    EvidenceArtifact b = artifact(agent, EDGE, 2);
    store.putBlob(REPO, b.payload());
    store.putBlob(REPO, b.certificates());
    store.putManifest(REPO, "seq-2", b.manifest());
    assertThatThrownBy(() -> verifier().verify(store, REPO, "seq-2"))
        .extracting(e -> ((OciException) e).reason())
        .isEqualTo(Reason.UNSIGNED);
  }

  @Test
  void refusesHostileManifests() {
    BundleStore store = OciLayoutStore.directory(dir);
    byte[] notEvidence =
        new OciManifest(
                "application/vnd.other",
                Descriptor.of("application/vnd.oci.empty.v1+json", new byte[] {'{', '}'}),
                List.of(),
                java.util.Map.of())
            .toJson();
    store.putManifest(REPO, "seq-1", notEvidence);
    assertThatThrownBy(() -> verifier().verify(store, REPO, "seq-1"))
        .extracting(e -> ((OciException) e).reason())
        .isEqualTo(Reason.MALFORMED);
    assertThatThrownBy(() -> verifier().verify(store, REPO, "seq-9"))
        .extracting(e -> ((OciException) e).reason())
        .isEqualTo(Reason.NOT_FOUND);
    assertThatThrownBy(() -> new EvidenceVerifier(List.of())).hasMessageContaining("--evidence-ca");
    assertThatThrownBy(() -> artifact(agent, EDGE, 0)).hasMessageContaining("positive");
    assertThatThrownBy(
            () ->
                EvidenceArtifact.create(
                    EDGE,
                    1,
                    Instant.now(),
                    new byte[0],
                    SigningKey.generate(),
                    List.of(agent.certificate()),
                    "x"))
        .hasMessageContaining("does not belong");
  }

  @Test
  void theMirrorCarriesEvidenceVerifiedAgainstTheHubCa() {
    BundleStore src = OciLayoutStore.directory(dir.resolve("src"));
    BundleStore dst = OciLayoutStore.directory(dir.resolve("dst"));
    EvidenceArtifact good = artifact(agent, EDGE, 1);
    EvidenceStore.put(src, REPO, good);
    EvidenceStore.put(src, REPO, artifact(CA.issueAgent("team-a", "edge-2"), EDGE, 2));
    Mirror mirror =
        Mirror.builder(TrustedKeys.of(SigningKey.generate().publicKey()))
            .evidenceAuthorities(List.of(CA.certificate()))
            .build();
    MirrorReport r =
        mirror.sync(
            src,
            dst,
            Selection.clusters("kapro", List.of("team-a/edge-1")).with(Selection.Content.EVIDENCE));
    assertThat(r.refused())
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.reason()).isEqualTo(Reason.WRONG_CLUSTER);
              assertThat(x.tags()).contains("seq-2", "latest");
            });
    assertThat(dst.resolve(REPO, "seq-1").map(Descriptor::digest)).contains(good.digest());
    assertThat(dst.resolve(REPO, "seq-2")).isEmpty();
    assertThat(dst.resolve(REPO, "latest")).isEmpty();
  }
}
