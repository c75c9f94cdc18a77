package io.kapro.cli.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kapro.agent.testing.TestCa;
import io.kapro.cli.Cli;
import io.kapro.cli.ExitCodes;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.evidence.EvidenceArtifact;
import io.kapro.oci.evidence.EvidenceStore;
import io.kapro.oci.mirror.RepositoryKind;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.store.OciLayoutStore;
import io.kapro.oci.testing.TestBundles;
import io.kapro.oci.verify.ClusterIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kapro mirror} between OCI layouts: output, incrementality, refusals, hostile flags. */
class MirrorCommandTest {
  static final SigningKey FLEET = SigningKey.generate();
  static final String EDGE1 = BundleRepository.of("kapro", "team-a", "edge-1");
  static final String EDGE2 = BundleRepository.of("kapro", "team-a", "edge-2");

  @TempDir Path dir;
  Path hub;
  Path pub;
  SignedBundle edge2;

  @BeforeEach
  void publish() throws Exception {
    hub = dir.resolve("hub");
    try (OciLayoutStore store = OciLayoutStore.directory(hub)) {
      store.put(EDGE1, bundle("edge-1", 1));
      store.put(EDGE1, bundle("edge-1", 2));
      edge2 = bundle("edge-2", 1);
      store.put(EDGE2, edge2);
    }
    pub = Files.writeString(dir.resolve("fleet.pub"), FLEET.publicKeyPem());
  }

  static SignedBundle bundle(String cluster, long seq) {
    return SignedBundle.sign(
        TestBundles.payload("team-a", cluster, seq, Instant.now(), Duration.ofDays(1)),
        FLEET,
        "kapro/team-a/" + cluster);
  }

  private Cli.Result mirror(String... args) {
    List<String> all = new ArrayList<>(List.of("mirror"));
    all.addAll(List.of(args));
    return Cli.raw(all.toArray(String[]::new));
  }

  @Test
  void pullPrintsWhatItCarriedAndASecondPullCopiesNothing() throws Exception {
    String usb = "oci:" + dir.resolve("usb.tar");
    Cli.Result r =
        mirror("pull", "--from", "oci:" + hub, "--to", usb, "--key", pub.toString(), "--all");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("REPOSITORY", EDGE1, EDGE2, "bundles", "pull oci-layout:" + hub)
        .contains("6 manifests and");
    assertThat(r.err()).isEmpty();
    assertThat(dir.resolve("usb.tar")).isRegularFile();

    Cli.Result again =
        mirror(
            "pull",
            "--from",
            "oci:" + hub,
            "--to",
            usb,
            "--key",
            pub.toString(),
            "--all",
            "-o",
            "json");
    assertThat(again.exit()).as(again.toString()).isZero();
    JsonNode j = new ObjectMapper().readTree(again.out());
    assertThat(j.get("complete").asBoolean()).isTrue();
    assertThat(j.get("counts").get("manifestsCopied").asInt()).isZero();
    assertThat(j.get("counts").get("blobsCopied").asInt()).isZero();
    assertThat(j.get("counts").get("manifestsPresent").asInt()).isEqualTo(6);
    assertThat(j.get("repositories")).hasSize(2);
    assertThat(j.get("summary").asText()).startsWith("pull ");
  }

  @Test
  void pushRefusesATamperedBlobNamesTheBundleAndImportsNothingOfIt() throws Exception {
    Path usb = dir.resolve("usb");
    assertThat(
            mirror(
                    "pull",
                    "--from",
                    "oci:" + hub,
                    "--to",
                    "oci:" + usb,
                    "--key",
                    pub.toString(),
                    "--cluster",
                    "team-a/edge-1",
                    "--cluster",
                    "team-a/edge-2")
                .exit())
        .isZero();
    Path layer =
        usb.resolve(EDGE2)
            .resolve("blobs/sha256")
            .resolve(Digests.hex(Digests.sha256(edge2.bundle().layer())));
    byte[] bytes = Files.readAllBytes(layer);
    bytes[bytes.length / 2] ^= 1;
    Files.write(layer, bytes);

    Path spoke = dir.resolve("spoke");
    Cli.Result r =
        mirror(
            "push",
            "--from",
            "oci:" + usb,
            "--to",
            "oci:" + spoke,
            "--key",
            pub.toString(),
            "--all");
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
    assertThat(r.err())
        .contains("refused: bundle " + EDGE2 + "@" + edge2.digest())
        .contains("LAYER_DIGEST_MISMATCH")
        .contains("hint: ");
    try (OciLayoutStore s = OciLayoutStore.directory(spoke);
        OciLayoutStore h = OciLayoutStore.directory(hub)) {
      assertThat(s.listTags(EDGE2)).isEmpty();
      assertThat(s.resolve(EDGE1, "desired").map(Descriptor::digest))
          .isEqualTo(h.resolve(EDGE1, "desired").map(Descriptor::digest))
          .isPresent();
    }
  }

  @Test
  void aForeignKeyRefusesEveryBundleAndExitsOne() throws Exception {
    Path other = Files.writeString(dir.resolve("other.pub"), SigningKey.generate().publicKeyPem());
    Cli.Result r =
        mirror(
            "pull",
            "--from",
            "oci:" + hub,
            "--to",
            "oci:" + dir.resolve("x"),
            "--key",
            other.toString(),
            "--cluster",
            "team-a/edge-2");
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(r.err()).contains("refused: bundle " + EDGE2, "not among the trusted keys");
  }

  @Test
  void aMissingClusterIsNamedAndExitsOne() {
    Cli.Result r =
        mirror(
            "pull",
            "--from",
            "oci:" + hub,
            "--to",
            "oci:" + dir.resolve("x"),
            "--key",
            pub.toString(),
            "--cluster",
            "team-a/nowhere");
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(r.err()).contains("missing: kapro/team-a/nowhere");
  }

  @Test
  void evidenceTravelsVerifiedAgainstTheHubCa() throws Exception {
    TestCa ca = TestCa.create("kapro hub CA");
    TestCa.Issued agent = ca.issueAgent("team-a", "edge-1");
    String repo = RepositoryKind.evidenceRepository(EDGE1);
    Path spoke = dir.resolve("spoke");
    try (OciLayoutStore s = OciLayoutStore.directory(spoke)) {
      EvidenceStore.put(
          s,
          repo,
          EvidenceArtifact.create(
              new ClusterIdentity("team-a", "edge-1"),
              7,
              Instant.now(),
              "x".getBytes(StandardCharsets.UTF_8),
              SigningKey.of(agent.key()),
              List.of(agent.certificate()),
              repo));
    }
    Path caPem = ca.writeCertificate(dir.resolve("hub-ca.pem"));
    String[] base = {
      "pull",
      "--from",
      "oci:" + spoke,
      "--to",
      "oci:" + dir.resolve("back"),
      "--key",
      pub.toString(),
      "--content",
      "evidence",
      "--cluster",
      "team-a/edge-1"
    };
    Cli.Result noCa = mirror(base);
    assertThat(noCa.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(noCa.err()).contains("--evidence-ca");

    List<String> args = new ArrayList<>(List.of(base));
    args.addAll(List.of("--evidence-ca", caPem.toString(), "-o", "json"));
    Cli.Result r = mirror(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("repositories").get(0).get("kind").asText()).isEqualTo("EVIDENCE");
    assertThat(j.get("repositories").get(0).get("copied").asInt()).isEqualTo(1);

    Path wrongCa = TestCa.create("other").writeCertificate(dir.resolve("other-ca.pem"));
    args.set(args.indexOf(caPem.toString()), wrongCa.toString());
    args.set(args.indexOf("oci:" + dir.resolve("back")), "oci:" + dir.resolve("back2"));
    Cli.Result refused = mirror(args.toArray(String[]::new));
    assertThat(refused.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(refused.err()).contains("refused: artifact " + repo, "hub CA");
  }

  @Test
  void hostileFlagsAreRefusedWithAHintAndTouchNothing() throws Exception {
    String from = "oci:" + hub;
    String to = "oci:" + dir.resolve("out");
    String key = pub.toString();
    Files.writeString(dir.resolve("junk.pem"), "not a key");
    assertUsage(mirror("pull", "--from", from, "--to", to, "--key", key), "nothing selected");
    assertUsage(
        mirror("pull", "--from", from, "--to", to, "--key", key, "--all", "--cluster", "a/b"),
        "exclude each other");
    assertUsage(
        mirror("pull", "--from", from, "--to", to, "--key", key, "--cluster", "edge-1"),
        "is not NAMESPACE/NAME");
    assertUsage(
        mirror("pull", "--from", from, "--to", to, "--key", key, "--cluster", "A/../b"),
        "is not NAMESPACE/NAME");
    assertUsage(
        mirror("pull", "--from", from, "--to", to, "--key", key, "--all", "--content", "x"),
        "--content 'x'");
    assertUsage(
        mirror("pull", "--from", from, "--to", to, "--key", "nope.pem", "--all"), "no such file");
    assertUsage(
        mirror(
            "pull",
            "--from",
            from,
            "--to",
            to,
            "--key",
            dir.resolve("junk.pem").toString(),
            "--all"),
        "PEM");
    assertUsage(
        mirror("pull", "--from", from, "--to", to, "--key", key, "--all", "--prefix", "Bad//P"),
        "");
    assertUsage(
        mirror("pull", "--from", from, "--to", to, "--key", key, "--all", "--parallelism", "0"),
        "--parallelism");
    assertUsage(mirror("pull", "--from", from, "--to", from, "--key", key, "--all"), "same");
    assertUsage(
        mirror("pull", "--from", from, "--to", "registry.example:5000", "--key", key, "--all"),
        "writes an OCI layout");
    assertUsage(mirror("pull", "--from", from, "--key", key, "--all"), "--to");
    assertUsage(
        mirror("pull", "--from", from, "--to", to, "--key", key, "--all", "--bogus"), "--bogus");
    assertUsage(mirror("push", "--from", from, "--to", "bad host:5000", "--key", key, "--all"), "");
    Cli.Result missing =
        mirror(
            "push", "--from", "oci:" + dir.resolve("nowhere"), "--to", to, "--key", key, "--all");
    assertThat(missing.exit()).as(missing.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(missing.err()).contains("no such OCI layout", "hint:");
    assertThat(dir.resolve("nowhere")).doesNotExist();
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void anUnreachableRegistryExitsSixWithAHint() {
    Cli.Result r =
        mirror(
            "pull",
            "--from",
            "http://127.0.0.1:1",
            "--insecure",
            "--to",
            "oci:" + dir.resolve("x"),
            "--key",
            pub.toString(),
            "--cluster",
            "team-a/edge-1");
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err()).contains("error: ", "hint: ");
  }

  @Test
  void helpAndCompletionKnowTheMirror() {
    Cli.Result help = mirror("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("pull", "push", "sync", "Rerun the same command to");
    Cli.Result pull = mirror("pull", "--help");
    assertThat(pull.out()).contains("--from", "--to", "--key", "--cluster", "--evidence-ca");
    assertThat(Cli.raw("mirror").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.raw("completion", "bash").out()).contains("mirror", "--evidence-ca");
  }

  private static void assertUsage(Cli.Result r, String message) {
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).as(r.toString()).contains(message);
  }
}
