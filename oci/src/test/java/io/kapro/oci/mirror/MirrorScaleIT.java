package io.kapro.oci.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.BundlePublisher;
import io.kapro.oci.store.BundlePublisher.Request;
import io.kapro.oci.store.OciLayoutStore;
import io.kapro.oci.store.RegistryStore;
import io.kapro.oci.store.RetryPolicy;
import io.kapro.oci.testing.LocalRegistry;
import io.kapro.oci.testing.Registries;
import io.kapro.oci.testing.TestBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet through the air gap at size: {@code kapro.scale=small} (CI) carries 30 clusters, {@code
 * large} ({@code -Pbench}) 1000; checks every cluster's {@code desired} at the far registry and
 * that an unchanged second run copies nothing. The bench run writes its figures into
 * docs/air-gap.md. Timings are reported, never asserted.
 */
class MirrorScaleIT {
  static final String COMMAND =
      "./mvnw -B -ntp -Pbench -pl oci verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dit.test=MirrorScaleIT";
  static final String BEGIN = "<!-- mirror-bench:begin -->";
  static final String END = "<!-- mirror-bench:end -->";

  @TempDir Path tmp;

  @Test
  void smallFleetThroughTheGap() throws Exception {
    if (!"large".equals(System.getProperty("kapro.scale", "small"))) {
      org.slf4j.LoggerFactory.getLogger(MirrorScaleIT.class).info("{}", run(30));
    }
  }

  @Test
  @Tag("bench")
  void largeFleetThroughTheGap() throws Exception {
    String figures = run(1000);
    writeSection(docsFile(), figures);
  }

  private String run(int clusters) throws Exception {
    SigningKey key = SigningKey.generate();
    Mirror mirror = Mirror.builder(TrustedKeys.of(key.publicKey())).parallelism(8).build();
    try (LocalRegistry hub = LocalRegistry.startPlain();
        LocalRegistry spoke = LocalRegistry.startPlain()) {
      RegistryStore hubStore = new RegistryStore(Registries.config(hub));
      RegistryStore spokeStore = new RegistryStore(Registries.config(spoke));
      List<Request> requests = new ArrayList<>();
      for (int i = 0; i < clusters; i++) {
        String repo = Fixtures.repo("team-" + (i % 10), "edge-" + i);
        requests.add(
            new Request(
                repo,
                SignedBundle.sign(
                    TestBundles.payload(
                        "team-" + (i % 10), "edge-" + i, 1, Instant.now(), Duration.ofDays(1)),
                    key,
                    repo)));
      }
      new BundlePublisher(hubStore, 8, RetryPolicy.defaults()).publishAll(requests);
      Path tar = tmp.resolve("fleet.tar");

      long t0 = System.nanoTime();
      MirrorReport pulled;
      try (OciLayoutStore out = OciLayoutStore.tar(tar)) {
        pulled = mirror.pull(hubStore, out, Selection.all("kapro"));
      }
      long t1 = System.nanoTime();
      MirrorReport pushed;
      try (OciLayoutStore in = OciLayoutStore.tar(tar)) {
        pushed = mirror.push(in, spokeStore, Selection.all("kapro"));
      }
      long t2 = System.nanoTime();
      MirrorReport again;
      try (OciLayoutStore out = OciLayoutStore.tar(tar)) {
        again = mirror.pull(hubStore, out, Selection.all("kapro"));
      }
      long t3 = System.nanoTime();

      assertThat(pulled.complete()).isTrue();
      assertThat(pushed.complete()).isTrue();
      assertThat(pushed.repositories()).hasSize(clusters);
      assertThat(pushed.counts().manifestsCopied()).isEqualTo(2 * clusters);
      assertThat(again.counts().manifestsCopied()).isZero();
      assertThat(again.counts().blobsCopied()).isZero();
      for (Request r : requests) {
        assertThat(spokeStore.resolve(r.repository(), "desired").map(Descriptor::digest))
            .contains(r.bundle().digest());
      }
      return String.format(
          "Mirror, %d clusters (one bundle each), local distribution registries, parallelism 8:"
              + " pull registry → tar %d ms, push tar → registry %d ms, unchanged second pull"
              + " %d ms (%d bytes carried, tar %d bytes).%n%nCommand: `%s`%n",
          clusters,
          (t1 - t0) / 1_000_000,
          (t2 - t1) / 1_000_000,
          (t3 - t2) / 1_000_000,
          pushed.counts().bytesCopied(),
          Files.size(tar),
          COMMAND);
    }
  }

  private static Path docsFile() throws IOException {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IOException("cannot find the repository root from " + Path.of("").toAbsolutePath());
    }
    return p.resolve("docs").resolve("air-gap.md");
  }

  private static void writeSection(Path file, String body) throws IOException {
    String text = Files.readString(file);
    int b = text.indexOf(BEGIN);
    int e = text.indexOf(END);
    if (b < 0 || e < b) {
      throw new IOException(file + " has no " + BEGIN + " … " + END + " section");
    }
    Files.writeString(
        file, text.substring(0, b + BEGIN.length()) + "\n" + body + text.substring(e));
  }
}
