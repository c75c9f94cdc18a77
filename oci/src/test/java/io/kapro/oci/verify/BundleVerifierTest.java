package io.kapro.oci.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.OciLayoutStore;
import io.kapro.oci.testing.AttackCorpus;
import io.kapro.oci.testing.AttackCorpus.Attack;
import io.kapro.oci.testing.TestBundles;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleVerifierTest {
  static final SigningKey HUB = SigningKey.generate();
  static final ClusterIdentity EDGE = new ClusterIdentity("team-a", "edge-1");
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  static final String REPO = "kapro/team-a/edge-1";

  @TempDir Path dir;

  static BundleVerifier verifier(TrustedKeys keys, Instant now, Duration skew) {
    return BundleVerifier.builder(keys, EDGE)
        .clock(Clock.fixed(now, ZoneOffset.UTC))
        .clockSkew(skew)
        .build();
  }

  static String put(BundleStore store, BundlePayload p, SigningKey key) {
    return store.put(REPO, SignedBundle.sign(p, key, REPO));
  }

  @Test
  void everyAttackIsRejectedWithItsOwnReason() {
    AttackCorpus corpus = new AttackCorpus(HUB, "kapro/attacks");
    try (OciLayoutStore store = OciLayoutStore.directory(dir)) {
      List<Attack> attacks = corpus.writeInto(store);
      BundleVerifier verifier = corpus.verifier();
      for (Attack a : attacks) {
        assertThatThrownBy(
                () ->
                    verifier.verify(
                        a.view(), a.repository(), a.reference(), corpus.highWaterMark()))
            .as(a.name())
            .isInstanceOfSatisfying(
                OciException.class,
                e -> {
                  assertThat(e.reason())
                      .as(a.name() + ": " + e.getMessage())
                      .isEqualTo(a.expected());
                  assertThat(e.isRejection()).isTrue();
                });
      }
      Set<String> required =
          Set.of(
              "unsigned",
              "untrusted-key",
              "tampered-layer",
              "tampered-annotation",
              "replayed-older-sequence",
              "expired",
              "other-cluster",
              "oversized-layer",
              "unknown-schema",
              "malformed-json",
              "signature-for-other-digest");
      List<Attack> req = attacks.stream().filter(a -> required.contains(a.name())).toList();
      assertThat(req).hasSize(required.size());
      assertThat(req.stream().map(Attack::expected).collect(Collectors.toSet()))
          .hasSize(required.size());
      // the legitimate bundle next to them is accepted, so the rejections are not blanket failures
      put(store, corpus.legitimate(), HUB);
      assertThat(verifier.verify(store, REPO, "desired", corpus.highWaterMark()).payload())
          .isEqualTo(corpus.legitimate());
    }
  }

  @Test
  void acceptsAnyTrustedKeyDuringRotation() {
    SigningKey next = SigningKey.generate();
    TrustedKeys both = TrustedKeys.of(HUB.publicKey(), next.publicKey());
    try (OciLayoutStore store = OciLayoutStore.directory(dir)) {
      put(store, TestBundles.payload("team-a", "edge-1", 1, NOW, Duration.ofHours(1)), HUB);
      assertThat(verifier(both, NOW, Duration.ZERO).verify(store, REPO, "desired", 0).keyId())
          .isEqualTo(HUB.keyId());
      put(store, TestBundles.payload("team-a", "edge-1", 2, NOW, Duration.ofHours(1)), next);
      assertThat(verifier(both, NOW, Duration.ZERO).verify(store, REPO, "desired", 1).keyId())
          .isEqualTo(next.keyId());
      // once the old key is retired, only the new one verifies
      assertThatThrownBy(
              () ->
                  verifier(TrustedKeys.of(HUB.publicKey()), NOW, Duration.ZERO)
                      .verify(store, REPO, "desired", 1))
          .isInstanceOfSatisfying(
              OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_KEY));
    }
  }

  @Test
  void expiryHonoursTheClockSkewAllowance() {
    try (OciLayoutStore store = OciLayoutStore.directory(dir)) {
      put(
          store,
          TestBundles.payload(
              "team-a", "edge-1", 5, NOW.minus(Duration.ofHours(2)), Duration.ofHours(1)),
          HUB);
      Instant justAfter = NOW.minus(Duration.ofMinutes(58)); // 2 minutes past expiry
      assertThat(
              verifier(TrustedKeys.of(HUB.publicKey()), justAfter, Duration.ofMinutes(5))
                  .verify(store, REPO, "desired", 4))
          .isNotNull();
      assertThatThrownBy(
              () ->
                  verifier(TrustedKeys.of(HUB.publicKey()), justAfter, Duration.ofMinutes(1))
                      .verify(store, REPO, "desired", 4))
          .isInstanceOfSatisfying(
              OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
    }
  }

  @Test
  void notYetValidHonoursTheClockSkewAllowance() {
    try (OciLayoutStore store = OciLayoutStore.directory(dir)) {
      put(
          store,
          TestBundles.payload(
              "team-a", "edge-1", 5, NOW.plus(Duration.ofMinutes(3)), Duration.ofHours(1)),
          HUB);
      assertThat(
              verifier(TrustedKeys.of(HUB.publicKey()), NOW, Duration.ofMinutes(5))
                  .verify(store, REPO, "desired", 0))
          .isNotNull();
      assertThatThrownBy(
              () ->
                  verifier(TrustedKeys.of(HUB.publicKey()), NOW, Duration.ofMinutes(1))
                      .verify(store, REPO, "desired", 0))
          .isInstanceOfSatisfying(
              OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_YET_VALID));
    }
  }

  @Test
  void sequenceMustBeStrictlyAboveTheHighWaterMark() {
    try (OciLayoutStore store = OciLayoutStore.directory(dir)) {
      put(store, TestBundles.payload("team-a", "edge-1", 7, NOW, Duration.ofHours(1)), HUB);
      BundleVerifier v = verifier(TrustedKeys.of(HUB.publicKey()), NOW, Duration.ZERO);
      assertThat(v.verify(store, REPO, "seq-7", 6).payload().sequence()).isEqualTo(7);
      assertThatThrownBy(() -> v.verify(store, REPO, "seq-7", 7))
          .isInstanceOfSatisfying(
              OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.STALE_SEQUENCE));
    }
  }

  @Test
  void allowListHookSeesEveryField() {
    try (OciLayoutStore store = OciLayoutStore.directory(dir)) {
      put(store, TestBundles.payload("team-a", "edge-1", 1, NOW, Duration.ofHours(1)), HUB);
      List<String> seen = new java.util.ArrayList<>();
      BundleVerifier v =
          BundleVerifier.builder(TrustedKeys.of(HUB.publicKey()), EDGE)
              .clock(Clock.fixed(NOW, ZoneOffset.UTC))
              .patchPolicy(
                  (unit, field) -> {
                    seen.add(unit.object().kind() + ":" + field.path());
                    return unit.backend().equals("ArgoCD")
                        ? java.util.Optional.of("Argo CD is not managed here")
                        : java.util.Optional.empty();
                  })
              .build();
      assertThatThrownBy(() -> v.verify(store, REPO, "desired", 0))
          .isInstanceOfSatisfying(
              OciException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.NOT_ALLOWED);
                assertThat(e.getMessage())
                    .contains("guestbook")
                    .contains("Argo CD is not managed here");
              });
      assertThat(seen)
          .containsExactly(
              "HelmRelease:spec.chart.spec.version", "Application:spec.source.targetRevision");
    }
  }

  @Test
  void missingBundleIsNotFoundNotARejection() {
    try (OciLayoutStore store = OciLayoutStore.directory(dir)) {
      assertThatThrownBy(
              () ->
                  verifier(TrustedKeys.of(HUB.publicKey()), NOW, Duration.ZERO)
                      .verify(store, REPO, "desired", 0))
          .isInstanceOfSatisfying(
              OciException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
                assertThat(e.isRejection()).isFalse();
              });
    }
  }

  @Test
  void needsAtLeastOneTrustedKey() {
    assertThatThrownBy(() -> BundleVerifier.builder(TrustedKeys.of(List.of()), EDGE).build())
        .isInstanceOf(OciException.class)
        .hasMessageContaining("trusted public key");
  }

  @Test
  void manifestTamperedAtRestIsADigestMismatch() throws Exception {
    try (OciLayoutStore store = OciLayoutStore.directory(dir)) {
      String digest =
          put(store, TestBundles.payload("team-a", "edge-1", 1, NOW, Duration.ofHours(1)), HUB);
      java.nio.file.Path file =
          dir.resolve(REPO).resolve("blobs/sha256").resolve(digest.substring(7));
      String json =
          java.nio.file.Files.readString(file)
              .replace("\"io.kapro.bundle.sequence\":\"1\"", "\"io.kapro.bundle.sequence\":\"9\"");
      java.nio.file.Files.writeString(file, json);
      assertThatThrownBy(
              () ->
                  verifier(TrustedKeys.of(HUB.publicKey()), NOW, Duration.ZERO)
                      .verify(store, REPO, digest, 0))
          .isInstanceOfSatisfying(
              OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DIGEST_MISMATCH));
    }
  }

  @Test
  void oneTrustedSignatureAmongUntrustedOnesIsEnough() {
    SigningKey stranger = SigningKey.generate();
    try (OciLayoutStore store = OciLayoutStore.directory(dir)) {
      BundlePayload p = TestBundles.payload("team-a", "edge-1", 1, NOW, Duration.ofHours(1));
      SignedBundle mine = SignedBundle.sign(p, HUB, REPO);
      SignedBundle theirs = SignedBundle.sign(p, stranger, REPO);
      store.put(REPO, mine);
      // a signature manifest carrying both layers, the stranger's first
      var a = io.kapro.oci.bundle.OciManifest.parse(theirs.signature().manifest());
      var b = io.kapro.oci.bundle.OciManifest.parse(mine.signature().manifest());
      byte[] both =
          new io.kapro.oci.bundle.OciManifest(
                  null,
                  a.config(),
                  java.util.List.of(a.layers().get(0), b.layers().get(0)),
                  java.util.Map.of())
              .toJson();
      store.putBlob(REPO, theirs.signature().config());
      store.putBlob(REPO, theirs.signature().payload());
      store.putManifest(
          REPO, io.kapro.oci.bundle.BundleRepository.signatureTag(mine.digest()), both);
      assertThat(
              verifier(TrustedKeys.of(HUB.publicKey()), NOW, Duration.ZERO)
                  .verify(store, REPO, "desired", 0)
                  .keyId())
          .isEqualTo(HUB.keyId());
    }
  }

  @Test
  void notABundleIsMalformed() {
    try (OciLayoutStore store = OciLayoutStore.directory(dir)) {
      byte[] manifest =
          new io.kapro.oci.bundle.OciManifest(
                  "application/vnd.example.other",
                  new io.kapro.oci.bundle.Descriptor(
                      io.kapro.oci.bundle.MediaTypes.OCI_EMPTY,
                      io.kapro.oci.bundle.MediaTypes.EMPTY_CONFIG_DIGEST,
                      2),
                  java.util.List.of(),
                  java.util.Map.of())
              .toJson();
      store.putManifest(REPO, "desired", manifest);
      assertThatThrownBy(
              () ->
                  verifier(TrustedKeys.of(HUB.publicKey()), NOW, Duration.ZERO)
                      .verify(store, REPO, "desired", 0))
          .isInstanceOfSatisfying(
              OciException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
                assertThat(e.getMessage()).contains("artifactType");
              });
    }
  }
}
