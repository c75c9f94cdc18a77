package io.kapro.oci.mirror;

import static io.kapro.oci.mirror.Fixtures.publish;
import static io.kapro.oci.mirror.Fixtures.repo;
import static io.kapro.oci.mirror.Fixtures.violations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.MediaTypes;
import io.kapro.oci.bundle.OciManifest;
import io.kapro.oci.mirror.MirrorReport.Refusal;
import io.kapro.oci.sign.SignatureArtifact;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.OciLayoutStore;
import io.kapro.oci.testing.AttackCorpus;
import io.kapro.oci.verify.BundleVerifier;
import io.kapro.oci.verify.ClusterIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mirror between OCI layouts (fast; the registry paths are in {@link MirrorIT}). */
class MirrorTest {
  static final SigningKey FLEET = SigningKey.generate();
  static final Mirror MIRROR = Mirror.builder(TrustedKeys.of(FLEET.publicKey())).build();

  @TempDir Path tmp;

  private OciLayoutStore layout(String name) {
    return OciLayoutStore.directory(tmp.resolve(name));
  }

  @Test
  void carriesEveryBundleWithTagsAndSignatures() {
    OciLayoutStore src = layout("src");
    publish(src, FLEET, "team-a", "edge-1", 1);
    SignedBundle a2 = publish(src, FLEET, "team-a", "edge-1", 2);
    SignedBundle b1 = publish(src, FLEET, "team-b", "edge-2", 7);
    OciLayoutStore dst = layout("dst");

    MirrorReport r = MIRROR.sync(src, dst, Selection.all("kapro"));

    assertThat(r.complete()).isTrue();
    assertThat(r.repositories())
        .extracting(MirrorReport.RepositoryResult::repository)
        .containsExactly(repo("team-a", "edge-1"), repo("team-b", "edge-2"));
    // 3 bundles: per bundle 2 manifests; blobs: {} once per repository, layer, sig config, sig
    // payload
    assertThat(r.counts().manifestsCopied()).isEqualTo(6);
    assertThat(r.counts().blobsCopied()).isEqualTo(2 + 3 * 3);
    assertThat(r.counts().blobsPresent()).isEqualTo(1); // {} of edge-1's second bundle
    assertThat(r.counts().tagsWritten()).isEqualTo(3 + 2); // seq-1, seq-2, seq-7, 2 × desired
    assertThat(dst.resolve(repo("team-a", "edge-1"), "desired").map(Descriptor::digest))
        .contains(a2.digest());
    assertThat(dst.listTags(repo("team-a", "edge-1")))
        .contains("seq-1", "seq-2", BundleRepository.signatureTag(a2.digest()));
    assertThat(verifier("team-b", "edge-2").verify(dst, repo("team-b", "edge-2"), "desired", 0))
        .satisfies(v -> assertThat(v.digest()).isEqualTo(b1.digest()));
    assertThat(violations(dst, dst.repositories())).isEmpty();
  }

  @Test
  void secondRunCopiesOnlyWhatChanged() {
    OciLayoutStore src = layout("src");
    publish(src, FLEET, "team-a", "edge-1", 1);
    publish(src, FLEET, "team-a", "edge-2", 1);
    OciLayoutStore dst = layout("dst");
    MIRROR.sync(src, dst, Selection.all("kapro"));

    MirrorReport again = MIRROR.sync(src, dst, Selection.all("kapro"));
    assertThat(again.counts().manifestsCopied()).isZero();
    assertThat(again.counts().blobsCopied()).isZero();
    assertThat(again.counts().tagsWritten()).isZero();
    assertThat(again.counts().manifestsPresent()).isEqualTo(4);

    SignedBundle next = publish(src, FLEET, "team-a", "edge-2", 2);
    MirrorReport changed = MIRROR.sync(src, dst, Selection.all("kapro"));
    assertThat(changed.counts().manifestsCopied()).isEqualTo(2);
    assertThat(changed.counts().blobsCopied()).isEqualTo(3); // layer, signature config and payload
    assertThat(changed.counts().blobsPresent()).isEqualTo(1); // the empty config
    assertThat(changed.counts().bytesCopied())
        .isEqualTo(
            next.bundle().layer().length
                + next.bundle().manifest().length
                + next.signature().config().length
                + next.signature().payload().length
                + next.signature().manifest().length);
    assertThat(changed.counts().tagsWritten()).isEqualTo(2); // seq-2, desired
    assertThat(dst.resolve(repo("team-a", "edge-2"), "desired").map(Descriptor::digest))
        .contains(next.digest());
  }

  @Test
  void attackCorpusIsRefusedAndNamedOnlyIntegrityAttacksAreStopped() {
    OciLayoutStore src = layout("src");
    List<AttackCorpus.Attack> attacks = new AttackCorpus(FLEET, "kapro/attacks").writeInto(src);
    OciLayoutStore dst = layout("dst");

    MirrorReport r = MIRROR.sync(src, dst, Selection.namespaces("kapro", List.of("attacks")));

    Map<String, Reason> refusedByRepo =
        r.refused().stream()
            .collect(java.util.stream.Collectors.toMap(Refusal::repository, Refusal::reason));
    for (AttackCorpus.Attack a : attacks) {
      boolean policyOnly =
          List.of(
                  Reason.STALE_SEQUENCE,
                  Reason.EXPIRED,
                  Reason.NOT_YET_VALID,
                  Reason.WRONG_CLUSTER,
                  Reason.NOT_ALLOWED)
              .contains(a.expected());
      if (policyOnly) {
        // the agent's business: carried unchanged, still signed
        assertThat(refusedByRepo).as(a.name()).doesNotContainKey(a.repository());
        assertThat(dst.resolve(a.repository(), "desired")).as(a.name()).isPresent();
      } else {
        assertThat(refusedByRepo).as(a.name()).containsEntry(a.repository(), a.expected());
        assertThat(dst.listTags(a.repository())).as(a.name()).isEmpty();
        assertThat(dst.repositories()).as(a.name()).doesNotContain(a.repository());
      }
    }
    Refusal unsigned =
        r.refused().stream()
            .filter(x -> x.repository().endsWith("/unsigned"))
            .findFirst()
            .orElseThrow();
    assertThat(unsigned.tags()).containsExactly("desired");
    assertThat(unsigned.message())
        .contains("kapro/attacks/unsigned")
        .contains(unsigned.digest())
        .contains("desired")
        .contains("no signature");
    assertThat(r.complete()).isFalse();
    assertThat(r.notes())
        .anyMatch(n -> n.contains("kapro/attacks/unsigned") && n.contains("refused"));
  }

  @Test
  void garbageIndexRefusesThatRepositoryAndCarriesTheRest() throws Exception {
    OciLayoutStore src = layout("src");
    publish(src, FLEET, "team-a", "edge-1", 1);
    publish(src, FLEET, "team-a", "edge-2", 1);
    java.nio.file.Files.writeString(
        src.root().resolve(repo("team-a", "edge-1")).resolve("index.json"), "{\"manifests\": 7");
    OciLayoutStore dst = layout("dst");

    MirrorReport r = MIRROR.sync(src, dst, Selection.all("kapro"));

    assertThat(r.refused())
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.repository()).isEqualTo(repo("team-a", "edge-1"));
              assertThat(x.reason()).isEqualTo(Reason.MALFORMED);
              assertThat(x.message()).contains("index.json");
            });
    assertThat(dst.repositories()).containsExactly(repo("team-a", "edge-2"));
  }

  @Test
  void tagThatLiesAboutItsSequenceIsRefused() {
    OciLayoutStore src = layout("src");
    SignedBundle b = publish(src, FLEET, "team-a", "edge-1", 3);
    src.putManifest(repo("team-a", "edge-1"), "seq-9", b.bundle().manifest());
    OciLayoutStore dst = layout("dst");

    MirrorReport r = MIRROR.sync(src, dst, Selection.all("kapro"));

    assertThat(r.refused())
        .singleElement()
        .satisfies(x -> assertThat(x.reason()).isEqualTo(Reason.ANNOTATION_MISMATCH));
    assertThat(dst.repositories()).isEmpty();
  }

  @Test
  void tagThatLiesAboutAnAlreadyCarriedBundleIsRefused() {
    OciLayoutStore src = layout("src");
    SignedBundle b = publish(src, FLEET, "team-a", "edge-1", 3);
    OciLayoutStore dst = layout("dst");
    assertThat(MIRROR.sync(src, dst, Selection.all("kapro")).complete()).isTrue();
    src.putManifest(repo("team-a", "edge-1"), "seq-9", b.bundle().manifest());

    MirrorReport r = MIRROR.sync(src, dst, Selection.all("kapro"));

    assertThat(r.refused())
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.reason()).isEqualTo(Reason.ANNOTATION_MISMATCH);
              assertThat(x.tags()).contains("seq-9");
            });
    assertThat(dst.resolve(repo("team-a", "edge-1"), "seq-9")).isEmpty();
    assertThat(dst.resolve(repo("team-a", "edge-1"), "desired").map(Descriptor::digest))
        .contains(b.digest());
  }

  @Test
  void olderSourceNeverMovesDesiredBackwards() {
    OciLayoutStore src = layout("src");
    publish(src, FLEET, "team-a", "edge-1", 1);
    OciLayoutStore dst = layout("dst");
    SignedBundle newer = publish(dst, FLEET, "team-a", "edge-1", 5);

    MirrorReport r = MIRROR.sync(src, dst, Selection.all("kapro"));

    assertThat(dst.resolve(repo("team-a", "edge-1"), "desired").map(Descriptor::digest))
        .contains(newer.digest());
    assertThat(dst.resolve(repo("team-a", "edge-1"), "seq-1")).isPresent();
    assertThat(r.notes()).anyMatch(n -> n.contains("left at sequence 5"));
  }

  @Test
  void rotatedKeysBothVerify() {
    SigningKey next = SigningKey.generate();
    OciLayoutStore src = layout("src");
    publish(src, FLEET, "team-a", "edge-1", 1);
    publish(src, next, "team-a", "edge-2", 1);
    OciLayoutStore dst = layout("dst");

    Mirror rotating = Mirror.builder(TrustedKeys.of(FLEET.publicKey(), next.publicKey())).build();
    assertThat(rotating.sync(src, dst, Selection.all("kapro")).complete()).isTrue();
    MirrorReport onlyOld = MIRROR.sync(src, layout("dst2"), Selection.all("kapro"));
    assertThat(onlyOld.refused())
        .singleElement()
        .satisfies(x -> assertThat(x.reason()).isEqualTo(Reason.UNTRUSTED_KEY));
  }

  @Test
  void evidenceRepositoriesTravelVerifiedAgainstClusterKeys() {
    SigningKey clusterKey = SigningKey.generate();
    OciLayoutStore src = layout("src");
    publish(src, FLEET, "team-a", "edge-1", 1);
    String evidence = RepositoryKind.evidenceRepository(repo("team-a", "edge-1"));
    String e1 = putEvidence(src, evidence, clusterKey, 1);
    String e2 = putEvidence(src, evidence, clusterKey, 2);
    String forged = putEvidence(src, evidence, SigningKey.generate(), 3);
    src.putManifest(evidence, "latest", src.fetchManifest(evidence, e2, 1 << 16));
    OciLayoutStore dst = layout("dst");

    assertThatThrownBy(
            () -> MIRROR.sync(src, dst, Selection.all("kapro").with(Selection.Content.EVIDENCE)))
        .hasMessageContaining("--evidence-key");

    Mirror withEvidence =
        Mirror.builder(TrustedKeys.of(FLEET.publicKey()))
            .evidenceKeys(TrustedKeys.of(clusterKey.publicKey()))
            .build();
    MirrorReport r =
        withEvidence.sync(src, dst, Selection.all("kapro").with(Selection.Content.BOTH));

    assertThat(r.repositories())
        .extracting(MirrorReport.RepositoryResult::kind)
        .containsExactly(RepositoryKind.BUNDLES, RepositoryKind.EVIDENCE);
    assertThat(dst.resolve(evidence, "latest").map(Descriptor::digest)).contains(e2);
    assertThat(dst.resolve(evidence, "seq-1").map(Descriptor::digest)).contains(e1);
    assertThat(dst.resolve(evidence, "seq-3")).isEmpty();
    assertThat(r.refused())
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.digest()).isEqualTo(forged);
              assertThat(x.reason()).isEqualTo(Reason.UNTRUSTED_KEY);
            });
    assertThat(violations(dst, List.of(evidence))).isEmpty();
  }

  @Test
  void wrongStoreKindsAndSelectionsAreExplained() {
    OciLayoutStore a = layout("a");
    BundleStore notALayout = new InterruptingStore(a, 0, () -> {}, () -> {});
    assertThatThrownBy(() -> MIRROR.pull(a, notALayout, Selection.all("kapro")))
        .hasMessageContaining("oci:<dir>");
    assertThatThrownBy(() -> MIRROR.push(notALayout, a, Selection.all("kapro")))
        .hasMessageContaining("--from oci:");
    assertThatThrownBy(() -> MIRROR.sync(a, a, Selection.all("kapro")))
        .hasMessageContaining("the same");
    assertThatThrownBy(
            () -> MIRROR.sync(a, layout("b"), Selection.clusters("kapro", List.of("edge-1"))))
        .hasMessageContaining("<namespace>/<name>");
    assertThatThrownBy(
            () -> MIRROR.sync(a, layout("b"), Selection.clusters("kapro", List.of("Team/x"))))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT));
    assertThatThrownBy(() -> Mirror.builder(TrustedKeys.of()).build())
        .hasMessageContaining("--key");
    MirrorReport missing =
        MIRROR.sync(a, layout("c"), Selection.clusters("kapro", List.of("team-a/nowhere")));
    assertThat(missing.missing()).containsExactly("kapro/team-a/nowhere");
    assertThat(missing.complete()).isFalse();
  }

  private static String putEvidence(BundleStore store, String repo, SigningKey key, long seq) {
    byte[] layer =
        ("{\"cluster\":\"edge-1\",\"sequence\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
    byte[] manifest =
        new OciManifest(
                "application/vnd.kapro.evidence.v1",
                new Descriptor(MediaTypes.OCI_EMPTY, MediaTypes.EMPTY_CONFIG_DIGEST, 2),
                List.of(Descriptor.of("application/vnd.kapro.evidence.v1+json", layer)),
                Map.of("io.kapro.evidence.sequence", Long.toString(seq)))
            .toJson();
    String digest = Digests.sha256(manifest);
    SignatureArtifact sig = SignatureArtifact.sign(key, repo, digest);
    store.putBlob(repo, MediaTypes.EMPTY_CONFIG);
    store.putBlob(repo, layer);
    store.putManifest(repo, digest, manifest);
    store.putBlob(repo, sig.config());
    store.putBlob(repo, sig.payload());
    store.putManifest(repo, BundleRepository.signatureTag(digest), sig.manifest());
    store.putManifest(repo, "seq-" + seq, manifest);
    return digest;
  }

  static BundleVerifier verifier(String namespace, String cluster) {
    return BundleVerifier.builder(
            TrustedKeys.of(FLEET.publicKey()), new ClusterIdentity(namespace, cluster))
        .build();
  }
}
