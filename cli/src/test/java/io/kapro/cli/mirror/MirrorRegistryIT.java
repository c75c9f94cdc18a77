package io.kapro.cli.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.cli.Cli;
import io.kapro.cli.ExitCodes;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.store.OciLayoutStore;
import io.kapro.oci.store.RegistryStore;
import io.kapro.oci.testing.LocalRegistry;
import io.kapro.oci.testing.Registries;
import io.kapro.oci.testing.TestBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kapro mirror} against real distribution registries: pull → tar → push into a second
 * registry, sync, and the exit codes of a registry that wants credentials or a CA.
 */
class MirrorRegistryIT {
  static final SigningKey FLEET = SigningKey.generate();
  static final String REPO = "kapro/team-a/edge-1";
  static LocalRegistry hub;
  static LocalRegistry spoke;
  static LocalRegistry secured;
  static String digest;
  @TempDir static Path dir;
  static Path pub;

  @BeforeAll
  static void start() throws Exception {
    hub = LocalRegistry.startPlain();
    spoke = LocalRegistry.startPlain();
    secured = LocalRegistry.startTls("mirror", "s3cret");
    SignedBundle b =
        SignedBundle.sign(
            TestBundles.payload("team-a", "edge-1", 4, Instant.now(), Duration.ofDays(1)),
            FLEET,
            REPO);
    try (RegistryStore store = new RegistryStore(Registries.config(hub))) {
      digest = store.put(REPO, b);
    }
    pub = Files.writeString(dir.resolve("fleet.pub"), FLEET.publicKeyPem());
  }

  @AfterAll
  static void stop() {
    hub.close();
    spoke.close();
    secured.close();
  }

  @Test
  void pullToATarThenPushIntoAnotherRegistryThenSync() {
    String tar = "oci:" + dir.resolve("bundles.tar");
    Cli.Result pull =
        Cli.raw(
            "mirror",
            "pull",
            "--from",
            "http://" + hub.host(),
            "--insecure",
            "--to",
            tar,
            "--key",
            pub.toString(),
            "--cluster",
            "team-a/edge-1");
    assertThat(pull.exit()).as(pull.toString()).isZero();
    try (OciLayoutStore layout = OciLayoutStore.tar(dir.resolve("bundles.tar"))) {
      assertThat(layout.resolve(REPO, "desired").map(Descriptor::digest)).contains(digest);
    }
    Cli.Result push =
        Cli.raw(
            "mirror",
            "push",
            "--from",
            tar,
            "--to",
            "http://" + spoke.host(),
            "--insecure",
            "--key",
            pub.toString(),
            "--all");
    assertThat(push.exit()).as(push.toString()).isZero();
    try (RegistryStore s = new RegistryStore(Registries.config(spoke))) {
      assertThat(s.resolve(REPO, "desired").map(Descriptor::digest)).contains(digest);
      assertThat(s.resolve(REPO, "seq-4").map(Descriptor::digest)).contains(digest);
    }
    Cli.Result sync =
        Cli.raw(
            "mirror",
            "sync",
            "--from",
            "http://" + hub.host(),
            "--to",
            "http://" + spoke.host(),
            "--insecure",
            "--key",
            pub.toString(),
            "--cluster",
            "team-a/edge-1",
            "-o",
            "json");
    assertThat(sync.exit()).as(sync.toString()).isZero();
    assertThat(sync.out()).contains("\"manifestsCopied\" : 0", "\"complete\" : true");
  }

  @Test
  void aRegistryThatWantsCredentialsOrACaGivesExitFourOrSix() {
    Cli.Result noCa =
        Cli.raw(
            "mirror",
            "sync",
            "--from",
            secured.host(),
            "--to",
            "oci:" + dir.resolve("x"),
            "--key",
            pub.toString(),
            "--cluster",
            "team-a/edge-1");
    assertThat(noCa.exit()).as(noCa.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(noCa.err()).contains("hint: ", "--ca-file");
    Cli.Result noCredentials =
        Cli.raw(
            "mirror",
            "sync",
            "--from",
            secured.host(),
            "--ca-file",
            secured.caFile().toString(),
            "--to",
            "oci:" + dir.resolve("y"),
            "--key",
            pub.toString(),
            "--cluster",
            "team-a/edge-1");
    assertThat(noCredentials.exit()).as(noCredentials.toString()).isEqualTo(ExitCodes.FORBIDDEN);
    assertThat(noCredentials.err()).contains("hint: ", "--username");
  }
}
