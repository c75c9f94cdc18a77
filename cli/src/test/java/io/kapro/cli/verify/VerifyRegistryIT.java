package io.kapro.cli.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.cli.Cli;
import io.kapro.cli.ExitCodes;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.OciManifest;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.store.RegistryStore;
import io.kapro.oci.testing.AttackCorpus;
import io.kapro.oci.testing.AttackCorpus.Attack;
import io.kapro.oci.testing.LocalRegistry;
import io.kapro.oci.testing.Registries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kapro verify} against the real distribution registry on loopback: every attack of the
 * corpus, the legitimate bundle, and registry errors. The corpus tampers the layer "in transit" for
 * registries (a view the CLI cannot use); here it is tampered at rest, in the registry's own
 * storage, which the registry then serves as is.
 */
class VerifyRegistryIT {
  static final SigningKey HUB = SigningKey.generate();
  static LocalRegistry registry;
  static LocalRegistry tamperedRegistry;
  @TempDir static Path dir;
  static Path pub;
  static List<Attack> attacks;

  @BeforeAll
  static void start() throws Exception {
    registry = LocalRegistry.startPlain();
    AttackCorpus corpus = new AttackCorpus(HUB, "kapro/attacks");
    try (RegistryStore store = new RegistryStore(Registries.config(registry))) {
      attacks = corpus.writeInto(store);
      store.put(
          "kapro/team-a/edge-1",
          SignedBundle.sign(corpus.legitimate(), HUB, "kapro/team-a/edge-1"));
    }
    tamperedRegistry = LocalRegistry.startPlain();
    try (RegistryStore store = new RegistryStore(Registries.config(tamperedRegistry))) {
      Attack tampered =
          corpus.writeInto(store).stream()
              .filter(a -> a.name().equals("tampered-layer"))
              .findFirst()
              .orElseThrow();
      OciManifest m =
          OciManifest.parse(store.fetchManifest(tampered.repository(), "desired", 1 << 16));
      tamperAtRest(tamperedRegistry, m.layers().get(0).digest());
    }
    pub = Files.writeString(dir.resolve("cosign.pub"), HUB.publicKeyPem());
  }

  private static void tamperAtRest(LocalRegistry registry, String digest) throws Exception {
    String hex = Digests.hex(digest);
    Path data;
    try (Stream<Path> files = Files.walk(registry.storageDir())) {
      data =
          files
              .filter(p -> p.endsWith(Path.of(hex.substring(0, 2), hex, "data")))
              .findFirst()
              .orElseThrow();
    }
    String layer = Files.readString(data, StandardCharsets.UTF_8);
    assertThat(layer).contains("6.5.4");
    Files.writeString(data, layer.replace("6.5.4", "6.6.6"), StandardCharsets.UTF_8);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (tamperedRegistry != null) {
      tamperedRegistry.close();
    }
  }

  @Test
  void everyAttackIsRejectedWithItsReason() throws Exception {
    CorpusRuns.assertEveryAttackRejected(
        attacks,
        a ->
            (a.name().equals("tampered-layer") ? tamperedRegistry : registry).host()
                + "/"
                + a.repository(),
        pub,
        "--insecure");
  }

  @Test
  void theLegitimateBundleIsAccepted() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "verify",
                "http://" + registry.host() + "/kapro/team-a/edge-1:desired",
                "--insecure"));
    args.addAll(CorpusRuns.corpusFlags(pub));
    Cli.Result r = Cli.raw(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("verdict: ACCEPTED", "\"sequence\" : 11");
  }

  @Test
  void registryErrors() {
    String base = registry.host();
    Cli.Result missing =
        Cli.raw("verify", base + "/kapro/nothing:desired", "--insecure", "--key", pub.toString());
    assertThat(missing.exit()).as(missing.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    Cli.Result plain =
        Cli.raw("verify", "http://" + base + "/kapro/team-a/edge-1", "--key", pub.toString());
    assertThat(plain.exit()).as(plain.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(plain.err()).contains("plain HTTP");
    Cli.Result down =
        Cli.raw("verify", "127.0.0.1:1/kapro/x", "--insecure", "--key", pub.toString());
    assertThat(down.exit()).as(down.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(down.err()).startsWith("error: ").contains("hint: ");
  }
}
