package io.kapro.oci.mirror;

import static io.kapro.oci.mirror.Fixtures.publish;
import static io.kapro.oci.mirror.Fixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.BundleArtifact;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.MediaTypes;
import io.kapro.oci.bundle.OciManifest;
import io.kapro.oci.sign.SignatureArtifact;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.BundleStores;
import io.kapro.oci.store.OciLayoutStore;
import io.kapro.oci.testing.TestBundles;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layouts and tars an attacker (or a damaged USB stick) could hand to {@code mirror push}. */
class MirrorHostileInputTest {
  static final SigningKey FLEET = SigningKey.generate();
  static final Mirror MIRROR = Mirror.builder(TrustedKeys.of(FLEET.publicKey())).build();

  @TempDir Path tmp;

  @Test
  void garbageIndexJsonIsNamedAndNothingOfItIsImported() throws Exception {
    OciLayoutStore src = OciLayoutStore.directory(tmp.resolve("usb"));
    publish(src, FLEET, "team-a", "edge-1", 1);
    Files.write(
        src.root().resolve(repo("team-a", "edge-1")).resolve("index.json"),
        new byte[] {(byte) 0xff, 0x00, '{', '[', 0x7f});
    OciLayoutStore dst = OciLayoutStore.directory(tmp.resolve("dst"));

    MirrorReport r = MIRROR.push(src, dst, Selection.all("kapro"));

    assertThat(r.refused())
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.reason()).isEqualTo(Reason.MALFORMED);
              assertThat(x.repository()).isEqualTo(repo("team-a", "edge-1"));
              assertThat(x.digest()).isNull();
              assertThat(x.message()).contains("index.json").contains("not a valid OCI index");
            });
    assertThat(dst.repositories()).isEmpty();
  }

  @Test
  void indexTagWithABadDigestIsRefused() throws Exception {
    OciLayoutStore src = OciLayoutStore.directory(tmp.resolve("usb"));
    publish(src, FLEET, "team-a", "edge-1", 1);
    Path index = src.root().resolve(repo("team-a", "edge-1")).resolve("index.json");
    String json = Files.readString(index);
    String evil =
        json.replaceFirst(
            "(\"desired\"},\"digest\":\")sha256:[0-9a-f]{64}", "$1sha256:../../../etc/passwd");
    assertThat(evil).isNotEqualTo(json);
    Files.writeString(index, evil);
    OciLayoutStore dst = OciLayoutStore.directory(tmp.resolve("dst"));

    MirrorReport r = MIRROR.push(src, dst, Selection.all("kapro"));

    assertThat(r.complete()).isFalse();
    assertThat(r.refused())
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.reason()).isEqualTo(Reason.MALFORMED);
              assertThat(x.message()).contains("bad digest for tag desired");
            });
    assertThat(Fixtures.violations(dst, dst.repositories())).isEmpty();
  }

  @Test
  void tarWithPathTraversalIsRefusedBeforeAnythingIsWritten() throws Exception {
    Path evil = tmp.resolve("evil.tar");
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    tar.write(ustarHeader("kapro/team-a/edge-1/../../../../escaped", 5));
    tar.write("pwned".getBytes(StandardCharsets.UTF_8));
    tar.write(new byte[512 - 5 + 1024]);
    Files.write(evil, tar.toByteArray());

    assertThatThrownBy(() -> BundleStores.open("oci:" + evil, false, null, null))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.IO_ERROR))
        .hasMessageContaining("escapes the layout directory")
        .hasMessageContaining(evil.toString());
    try (Stream<Path> s = Files.walk(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).doesNotContain("escaped");
    }
    assertThat(Path.of(System.getProperty("java.io.tmpdir"), "escaped")).doesNotExist();
  }

  @Test
  void manifestOverTheSizeLimitIsRefusedBeforeItIsRead() {
    OciLayoutStore src = OciLayoutStore.directory(tmp.resolve("usb"));
    String repo = repo("team-a", "edge-1");
    BundleArtifact a =
        BundleArtifact.of(
            TestBundles.payload("team-a", "edge-1", 1, Instant.now(), Duration.ofDays(1)));
    OciManifest m = OciManifest.parse(a.manifest());
    Map<String, String> ann = new LinkedHashMap<>(m.annotations());
    ann.put("io.kapro.padding", "p".repeat(100 * 1024));
    byte[] big = new OciManifest(m.artifactType(), m.config(), m.layers(), ann).toJson();
    String digest = Digests.sha256(big);
    SignatureArtifact sig = SignatureArtifact.sign(FLEET, repo, digest);
    src.putBlob(repo, MediaTypes.EMPTY_CONFIG);
    src.putBlob(repo, a.layer());
    src.putManifest(repo, digest, big);
    src.putBlob(repo, sig.config());
    src.putBlob(repo, sig.payload());
    src.putManifest(repo, BundleRepository.signatureTag(digest), sig.manifest());
    src.putManifest(repo, "desired", big);
    OciLayoutStore dst = OciLayoutStore.directory(tmp.resolve("dst"));

    MirrorReport r = MIRROR.push(src, dst, Selection.clusters("kapro", List.of("team-a/edge-1")));

    assertThat(r.refused())
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.reason()).isEqualTo(Reason.TOO_LARGE);
              assertThat(x.digest()).isEqualTo(digest);
              assertThat(x.message()).contains(repo).contains("65536");
            });
    assertThat(dst.repositories()).isEmpty();
  }

  @Test
  void pushFromAnEmptyOrMistypedLayoutSaysSo() {
    OciLayoutStore empty = OciLayoutStore.directory(tmp.resolve("typo"));
    OciLayoutStore dst = OciLayoutStore.directory(tmp.resolve("dst"));
    assertThatThrownBy(() -> MIRROR.push(empty, dst, Selection.all("kapro")))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT))
        .hasMessageContaining("holds no repositories")
        .hasMessageContaining("typo");
    OciLayoutStore other = OciLayoutStore.directory(tmp.resolve("other"));
    publish(other, FLEET, "team-z", "edge-9", 1);
    MirrorReport r = MIRROR.push(other, dst, Selection.namespaces("kapro", List.of("team-a")));
    assertThat(r.repositories()).isEmpty();
    assertThat(r.notes()).anyMatch(n -> n.contains("matches the selection"));
  }

  /** A minimal ustar header (name ≤ 100 bytes), written by hand so no library sanitises it. */
  private static byte[] ustarHeader(String name, long size) {
    byte[] h = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(n, 0, h, 0, n.length);
    octal(h, 100, 8, 0644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, 0);
    h[156] = '0';
    System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    return h;
  }

  private static void octal(byte[] h, int off, int len, long v) {
    String s = String.format("%0" + (len - 1) + "o", v);
    System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
  }
}
