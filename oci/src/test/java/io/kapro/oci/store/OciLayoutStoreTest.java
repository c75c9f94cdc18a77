package io.kapro.oci.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.testing.TestBundles;
import io.kapro.oci.verify.BundleVerifier;
import io.kapro.oci.verify.ClusterIdentity;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutStoreTest {
  static final SigningKey KEY = SigningKey.generate();
  static final String REPO = "kapro/team-a/edge-1";
  static final BundleVerifier VERIFIER =
      BundleVerifier.builder(
              TrustedKeys.of(KEY.publicKey()), new ClusterIdentity("team-a", "edge-1"))
          .build();

  @TempDir Path tmp;

  static SignedBundle bundle(long seq) {
    return SignedBundle.sign(
        TestBundles.payload("team-a", "edge-1", seq, Instant.now(), Duration.ofHours(1)),
        KEY,
        REPO);
  }

  @Test
  void directoryRoundTripAndStandardLayout() throws Exception {
    Path root = tmp.resolve("layout");
    SignedBundle b1 = bundle(1);
    SignedBundle b2 = bundle(2);
    try (OciLayoutStore store = OciLayoutStore.directory(root)) {
      store.put(REPO, b1);
      store.put(REPO, b2);
      assertThat(store.resolve(REPO, "desired"))
          .get()
          .extracting(d -> d.digest())
          .isEqualTo(b2.digest());
      assertThat(store.resolve(REPO, "seq-1"))
          .get()
          .extracting(d -> d.digest())
          .isEqualTo(b1.digest());
      assertThat(store.listTags(REPO))
          .containsExactlyInAnyOrder(
              "desired",
              "seq-1",
              "seq-2",
              "sha256-" + Digests.hex(b1.digest()) + ".sig",
              "sha256-" + Digests.hex(b2.digest()) + ".sig");
      assertThat(VERIFIER.verify(store, REPO, "desired", 1).payload()).isEqualTo(b2.payload());
      assertThat(store.repositories()).containsExactly(REPO);
    }
    Path layout = root.resolve(REPO);
    assertThat(Files.readString(layout.resolve("oci-layout")))
        .isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
    String index = Files.readString(layout.resolve("index.json"));
    assertThat(index)
        .contains("\"org.opencontainers.image.ref.name\":\"desired\"")
        .contains("application/vnd.oci.image.index.v1+json");
    assertThat(index.split("\"desired\"", -1)).hasSize(2); // the tag moved, it was not duplicated
    assertThat(layout.resolve("blobs/sha256").resolve(Digests.hex(b2.digest())))
        .hasBinaryContent(b2.bundle().manifest());
    try (Stream<Path> s = Files.walk(root)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-"));
    }
  }

  @Test
  void tarRoundTripCarriesSignaturesAcrossTheGap() {
    Path tar = tmp.resolve("bundles.tar");
    SignedBundle b = bundle(3);
    try (OciLayoutStore out = OciLayoutStore.tar(tar)) {
      out.put(REPO, b);
    }
    assertThat(tar).exists();
    try (OciLayoutStore in = OciLayoutStore.tar(tar)) {
      assertThat(VERIFIER.verify(in, REPO, "desired", 2).digest()).isEqualTo(b.digest());
      assertThat(in.listTags(REPO)).contains("seq-3");
    }
  }

  @Test
  void tarIsReadableByGnuTar() throws Exception {
    Path tar = tmp.resolve("b.tar");
    try (OciLayoutStore out = OciLayoutStore.tar(tar)) {
      out.put(REPO, bundle(1));
    }
    Process p = new ProcessBuilder("tar", "-tf", tar.toString()).redirectErrorStream(true).start();
    ByteArrayOutputStream listing = new ByteArrayOutputStream();
    p.getInputStream().transferTo(listing);
    assertThat(p.waitFor()).isZero();
    assertThat(listing.toString(StandardCharsets.UTF_8))
        .contains(REPO + "/index.json")
        .contains(REPO + "/oci-layout");
  }

  @Test
  void readsTarsMadeByGnuTar() throws Exception {
    Path root = tmp.resolve("src");
    SignedBundle b = bundle(4);
    try (OciLayoutStore out = OciLayoutStore.directory(root)) {
      out.put(REPO, b);
    }
    Path tar = tmp.resolve("gnu.tar");
    Process p =
        new ProcessBuilder("tar", "-C", root.toString(), "-cf", tar.toString(), ".")
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor()).isZero();
    try (OciLayoutStore in = OciLayoutStore.tar(tar)) {
      assertThat(VERIFIER.verify(in, REPO, "desired", 0).digest()).isEqualTo(b.digest());
    }
  }

  @Test
  void hostileTarsAreRefused() throws Exception {
    Path evilDir = tmp.resolve("evil");
    Files.createDirectories(evilDir.resolve("a"));
    Files.writeString(evilDir.resolve("x"), "pwned");
    Path escape = tmp.resolve("escape.tar");
    java.io.ByteArrayOutputStream evil = new java.io.ByteArrayOutputStream();
    evil.write(LayoutTar.header("kapro/../../x", 5));
    evil.write("pwned".getBytes(StandardCharsets.UTF_8));
    evil.write(new byte[512 - 5 + 1024]);
    Files.write(escape, evil.toByteArray());
    assertThatThrownBy(() -> OciLayoutStore.tar(escape))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.IO_ERROR))
        .hasMessageContaining("escapes");
    Files.createSymbolicLink(evilDir.resolve("link"), Path.of("/etc/passwd"));
    Path link = tmp.resolve("link.tar");
    assertThat(
            new ProcessBuilder("tar", "-C", evilDir.toString(), "-cf", link.toString(), "link")
                .start()
                .waitFor())
        .isZero();
    assertThatThrownBy(() -> OciLayoutStore.tar(link))
        .hasMessageContaining("only files and directories");
    Path good = tmp.resolve("good.tar");
    try (OciLayoutStore out = OciLayoutStore.tar(good)) {
      out.put(REPO, bundle(1));
    }
    byte[] whole = Files.readAllBytes(good);
    Path truncated = Files.write(tmp.resolve("truncated.tar"), java.util.Arrays.copyOf(whole, 700));
    assertThatThrownBy(() -> OciLayoutStore.tar(truncated)).hasMessageContaining("truncated");
    Path notTar = Files.writeString(tmp.resolve("text.tar"), "x".repeat(600));
    assertThatThrownBy(() -> OciLayoutStore.tar(notTar)).hasMessageContaining("checksum");
  }

  @Test
  void limitsAndBadReferences() {
    try (OciLayoutStore store = OciLayoutStore.directory(tmp.resolve("l"))) {
      SignedBundle b = bundle(1);
      store.put(REPO, b);
      assertThatThrownBy(() -> store.fetchManifest(REPO, "desired", 10))
          .isInstanceOfSatisfying(
              OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
      assertThatThrownBy(() -> store.fetchBlob(REPO, "sha256:" + "0".repeat(64), 10))
          .isInstanceOfSatisfying(
              OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
      assertThatThrownBy(() -> store.resolve(REPO, "../../etc")).isInstanceOf(OciException.class);
      assertThatThrownBy(() -> store.resolve("../evil", "desired"))
          .isInstanceOf(OciException.class);
      assertThatThrownBy(
              () -> store.putManifest(REPO, "sha256:" + "1".repeat(64), b.bundle().manifest()))
          .hasMessageContaining("do not hash");
      assertThat(store.listTags("kapro/none/here")).isEmpty();
    }
  }

  @Test
  void corruptIndexIsReportedNotIgnored() throws Exception {
    Path root = tmp.resolve("c");
    try (OciLayoutStore store = OciLayoutStore.directory(root)) {
      store.put(REPO, bundle(1));
      Files.writeString(root.resolve(REPO).resolve("index.json"), "{\"manifests\":");
      assertThatThrownBy(() -> store.resolve(REPO, "desired"))
          .isInstanceOfSatisfying(
              OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
          .hasMessageContaining("index.json");
    }
  }
}
