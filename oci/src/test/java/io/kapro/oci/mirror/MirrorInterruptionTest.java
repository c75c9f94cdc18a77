package io.kapro.oci.mirror;

import static io.kapro.oci.mirror.Fixtures.publish;
import static io.kapro.oci.mirror.Fixtures.repo;
import static io.kapro.oci.mirror.Fixtures.violations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.OciLayoutStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transfer cut after every possible number of writes: at every point a reader could observe, each
 * {@code desired}/{@code seq-<n>} tag resolves to a manifest whose blobs and signature are there,
 * and running the same transfer again completes it, writing exactly what was missing.
 */
class MirrorInterruptionTest {
  static final SigningKey FLEET = SigningKey.generate();
  static final TrustedKeys KEYS = TrustedKeys.of(FLEET.publicKey());

  @TempDir Path tmp;

  @Test
  void sequentialTransferCutAfterEveryWrite() {
    interruptEverywhere(Mirror.builder(KEYS).parallelism(1).build(), 2, 1);
  }

  @Test
  void parallelTransferCutAtManyPoints() {
    interruptEverywhere(Mirror.builder(KEYS).parallelism(3).build(), 3, 4);
  }

  @Test
  void interruptedPullIntoATarNeverLeavesAHalfWrittenTarAndResumes() throws Exception {
    OciLayoutStore src = OciLayoutStore.directory(tmp.resolve("src"));
    publish(src, FLEET, "team-a", "edge-1", 1);
    Path tar = tmp.resolve("usb.tar");
    Mirror mirror = Mirror.builder(KEYS).parallelism(1).build();
    try (OciLayoutStore out = OciLayoutStore.tar(tar)) {
      mirror.pull(src, out, Selection.all("kapro"));
    }
    byte[] before = java.nio.file.Files.readAllBytes(tar);
    publish(src, FLEET, "team-a", "edge-1", 2);
    publish(src, FLEET, "team-a", "edge-2", 1);
    List<String> repos = List.of(repo("team-a", "edge-1"), repo("team-a", "edge-2"));

    try (OciLayoutStore out = OciLayoutStore.tar(tar)) {
      InterruptingStore broken = InterruptingStore.failingAfter(out, 5, () -> {});
      assertThatThrownBy(() -> mirror.transfer("pull", src, broken, Selection.all("kapro")))
          .isInstanceOf(OciException.class);
      assertThat(tar).hasBinaryContent(before); // untouched until the store is closed
    }
    try (OciLayoutStore in = OciLayoutStore.tar(tar)) {
      assertThat(violations(in, repos)).isEmpty(); // what was packed is consistent
    }
    try (OciLayoutStore out = OciLayoutStore.tar(tar)) {
      assertThat(mirror.pull(src, out, Selection.all("kapro")).complete()).isTrue();
    }
    try (OciLayoutStore in = OciLayoutStore.tar(tar)) {
      assertThat(violations(in, repos)).isEmpty();
      for (String repo : repos) {
        assertThat(in.resolve(repo, "desired")).isEqualTo(src.resolve(repo, "desired"));
      }
    }
    try (var files = java.nio.file.Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
    }
  }

  private void interruptEverywhere(Mirror mirror, int clusters, int step) {
    OciLayoutStore src = OciLayoutStore.directory(tmp.resolve("src"));
    List<String> repos = new ArrayList<>();
    for (int c = 1; c <= clusters; c++) {
      for (int seq = 1; seq <= 2; seq++) {
        publish(src, FLEET, "team-a", "edge-" + c, seq);
      }
      repos.add(repo("team-a", "edge-" + c));
    }
    OciLayoutStore reference = OciLayoutStore.directory(tmp.resolve("reference"));
    MirrorReport full = mirror.sync(src, reference, Selection.all("kapro"));
    int totalWrites = writes(full);

    for (int allowed = 0; allowed < totalWrites; allowed += step) {
      OciLayoutStore dst = OciLayoutStore.directory(tmp.resolve("dst-" + allowed));
      List<String> seen = new ArrayList<>();
      InterruptingStore broken =
          InterruptingStore.failingAfter(dst, allowed, () -> seen.addAll(violations(dst, repos)));
      assertThatThrownBy(() -> mirror.sync(src, broken, Selection.all("kapro")))
          .isInstanceOfSatisfying(
              OciException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
                assertThat(e.getMessage())
                    .contains("mirror sync")
                    .contains(src.location())
                    .contains("run the same command again");
              });
      assertThat(seen).as("violations observed with %d writes allowed", allowed).isEmpty();
      assertThat(broken.writes()).isEqualTo(allowed);

      MirrorReport resumed = mirror.sync(src, dst, Selection.all("kapro"));

      assertThat(resumed.complete()).isTrue();
      assertThat(violations(dst, repos)).isEmpty();
      for (String repo : repos) {
        assertThat(dst.listTags(repo))
            .containsExactlyInAnyOrderElementsOf(reference.listTags(repo));
        assertThat(dst.resolve(repo, "desired")).isEqualTo(reference.resolve(repo, "desired"));
      }
      assertThat(writes(resumed))
          .as("a rerun writes only what is missing")
          .isEqualTo(totalWrites - allowed);
    }
  }

  private static int writes(MirrorReport r) {
    return r.counts().blobsCopied() + r.counts().manifestsCopied() + r.counts().tagsWritten();
  }
}
