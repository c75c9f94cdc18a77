package io.kapro.cli.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kapro.cli.Cli;
import io.kapro.cli.ExitCodes;
import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.FieldSet;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.store.OciLayoutStore;
import io.kapro.oci.testing.AttackCorpus;
import io.kapro.oci.testing.AttackCorpus.Attack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kapro verify} on OCI layouts: the whole attack corpus, the legitimate bundle, bad input.
 */
class VerifyCommandTest {
  static final SigningKey HUB = SigningKey.generate();
  @TempDir static Path dir;
  static Path root;
  static Path pub;
  static List<Attack> attacks;
  static AttackCorpus corpus;

  @BeforeAll
  static void write() throws Exception {
    root = dir.resolve("layout");
    corpus = new AttackCorpus(HUB, "kapro/attacks");
    try (OciLayoutStore store = OciLayoutStore.directory(root)) {
      attacks = corpus.writeInto(store);
      store.put(
          "kapro/team-a/edge-1",
          SignedBundle.sign(corpus.legitimate(), HUB, "kapro/team-a/edge-1"));
    }
    pub = Files.writeString(dir.resolve("cosign.pub"), HUB.publicKeyPem());
  }

  @Test
  void everyAttackIsRejectedWithItsReason() throws Exception {
    CorpusRuns.assertEveryAttackRejected(attacks, a -> "oci:" + root + "//" + a.repository(), pub);
  }

  @Test
  void theLegitimateBundleIsAcceptedAndItsPayloadPrinted() throws Exception {
    List<String> args = new ArrayList<>(List.of("verify", "oci:" + root + "//kapro/team-a/edge-1"));
    args.addAll(CorpusRuns.corpusFlags(pub));
    Cli.Result r = Cli.raw(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains(
            "payload:",
            "\"cluster\" : \"edge-1\"",
            "\"sequence\" : 11",
            "verdict: ACCEPTED",
            "signed by trusted key " + HUB.keyId() + ", sequence 11 for cluster team-a/edge-1");
    args.addAll(List.of("-o", "json"));
    JsonNode v = new ObjectMapper().readTree(Cli.raw(args.toArray(String[]::new)).out());
    assertThat(v.get("verdict").asText()).isEqualTo("ACCEPTED");
    assertThat(v.get("keyId").asText()).isEqualTo(HUB.keyId());
    assertThat(v.get("payload").get("sequence").asLong()).isEqualTo(11);
    assertThat(v.get("digest").asText()).startsWith("sha256:");
  }

  @Test
  void repositoryDirectoryFormAndClusterFromTheBundle() {
    Cli.Result r =
        Cli.raw(
            "verify",
            "oci:" + root.resolve("kapro/team-a/edge-1") + ":seq-11",
            "--key",
            pub.toString(),
            "--at",
            AttackCorpus.NOW.toString());
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("for cluster team-a/edge-1 (taken from the bundle)");
    Cli.Result other =
        Cli.raw(
            "verify",
            "oci:" + root + "//kapro/team-a/edge-1",
            "--key",
            pub.toString(),
            "--at",
            AttackCorpus.NOW.toString(),
            "--cluster",
            "team-a/edge-2");
    assertThat(other.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(other.out()).contains("REJECTED (WRONG_CLUSTER)");
    Cli.Result stale =
        Cli.raw(
            "verify",
            "oci:" + root + "//kapro/team-a/edge-1",
            "--key",
            pub.toString(),
            "--at",
            AttackCorpus.NOW.toString(),
            "--min-sequence",
            "11");
    assertThat(stale.out()).contains("REJECTED (STALE_SEQUENCE)");
    Cli.Result now =
        Cli.raw("verify", "oci:" + root + "//kapro/team-a/edge-1", "--key", pub.toString());
    assertThat(now.out())
        .as("judged now, months after the corpus instant")
        .contains("REJECTED (EXPIRED)");
    Cli.Result fields =
        Cli.raw(
            "verify",
            "oci:" + root + "//kapro/team-a/edge-1",
            "--key",
            pub.toString(),
            "--at",
            AttackCorpus.NOW.toString(),
            "--allow-field",
            "status.");
    assertThat(fields.out()).contains("REJECTED (NOT_ALLOWED)");
  }

  @Test
  void theDefaultAllowListIsTheAgentsAndNoAllowFieldGrantsAServiceAccount() throws Exception {
    BundlePayload good = corpus.legitimate();
    BundleUnit u = good.units().getFirst();
    BundlePayload evil =
        new BundlePayload(
            good.schemaVersion(),
            good.cluster(),
            good.namespace(),
            good.fleet(),
            good.run(),
            good.sequence(),
            good.issuedAt(),
            good.expiresAt(),
            List.of(
                new BundleUnit(
                    u.name(),
                    u.backend(),
                    u.object(),
                    u.version(),
                    u.digest(),
                    List.of(new FieldSet("spec.serviceAccountName", "cluster-admin")))),
            false);
    try (OciLayoutStore store = OciLayoutStore.directory(root)) {
      store.put("kapro/team-a/sa", SignedBundle.sign(evil, HUB, "kapro/team-a/sa"));
    }
    String ref = "oci:" + root + "//kapro/team-a/sa";
    String at = AttackCorpus.NOW.toString();
    Cli.Result byDefault = Cli.raw("verify", ref, "--key", pub.toString(), "--at", at);
    assertThat(byDefault.out()).contains("REJECTED (NOT_ALLOWED)").contains("serviceAccountName");
    Cli.Result wide =
        Cli.raw("verify", ref, "--key", pub.toString(), "--at", at, "--allow-field", "spec.");
    assertThat(wide.out()).contains("REJECTED (NOT_ALLOWED)").contains("no allow-list");
  }

  @Test
  void keyRotationAndUntrustedKeys() throws Exception {
    Path other = Files.writeString(dir.resolve("other.pub"), SigningKey.generate().publicKeyPem());
    String ref = "oci:" + root + "//kapro/team-a/edge-1";
    String at = AttackCorpus.NOW.toString();
    assertThat(Cli.raw("verify", ref, "--key", other.toString(), "--at", at).out())
        .contains("REJECTED (UNTRUSTED_KEY)");
    assertThat(
            Cli.raw("verify", ref, "--key", other.toString(), "--key", pub.toString(), "--at", at)
                .exit())
        .isZero();
  }

  @Test
  void hostileInput() throws Exception {
    String ref = "oci:" + root + "//kapro/team-a/edge-1";
    Path garbage =
        Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN PUBLIC KEY-----\nnope\n");
    Path priv = Files.writeString(dir.resolve("cosign.key"), HUB.privateKeyPem());
    int usage = ExitCodes.USAGE;
    assertThat(Cli.raw("verify", ref, "--key", garbage.toString()).exit()).isEqualTo(usage);
    assertThat(Cli.raw("verify", ref, "--key", dir.resolve("missing.pub").toString()).exit())
        .isEqualTo(usage);
    assertThat(Cli.raw("verify", ref).exit()).isEqualTo(usage);
    assertThat(Cli.raw("verify", ref, "--key", pub.toString(), "--cluster", "edge-1").exit())
        .isEqualTo(usage);
    assertThat(Cli.raw("verify", ref, "--key", pub.toString(), "--cluster", "a/b/c").exit())
        .isEqualTo(usage);
    assertThat(Cli.raw("verify", ref, "--key", pub.toString(), "--at", "yesterday").exit())
        .isEqualTo(usage);
    assertThat(Cli.raw("verify", ref, "--key", pub.toString(), "--min-sequence", "x").exit())
        .isEqualTo(usage);
    assertThat(Cli.raw("verify", ref, "--key", pub.toString(), "--min-sequence", "-1").exit())
        .isEqualTo(usage);
    assertThat(Cli.raw("verify", ref, "--key", pub.toString(), "--nope").exit()).isEqualTo(usage);
    for (String bad :
        new String[] {
          "",
          "oci:",
          "no-slash",
          "reg:5000/",
          "reg:5000/UPPER/case",
          "reg:5000/repo:bad tag",
          "reg:5000/repo@sha256:xyz",
          "oci:" + root + ".tar",
          "a\u0000b"
        }) {
      Cli.Result r = Cli.raw("verify", bad, "--key", pub.toString());
      assertThat(r.exit()).as("'" + bad + "'\n" + r).isIn(usage, ExitCodes.NOT_FOUND);
      assertThat(r.err()).as(bad).startsWith("error: ").doesNotContain("\tat ");
    }
    Cli.Result missingLayout =
        Cli.raw("verify", "oci:" + dir.resolve("nowhere") + "//kapro/x", "--key", pub.toString());
    assertThat(missingLayout.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(Files.exists(dir.resolve("nowhere"))).as("verify creates nothing").isFalse();
    Cli.Result missingTag = Cli.raw("verify", ref + ":seq-99", "--key", pub.toString());
    assertThat(missingTag.exit()).as(missingTag.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    // a private key works as --key too (its public half is trusted)
    assertThat(
            Cli.raw("verify", ref, "--key", priv.toString(), "--at", AttackCorpus.NOW.toString())
                .exit())
        .isZero();
  }

  @Test
  void aPayloadThatIsNotValidIsShownAsUnverified() {
    Cli.Result r =
        Cli.raw(
            "verify",
            "oci:" + root + "//kapro/attacks/tampered-layer",
            "--key",
            pub.toString(),
            "--at",
            AttackCorpus.NOW.toString());
    assertThat(r.out())
        .contains("payload (UNVERIFIED, as found):", "6.6.6", "REJECTED (LAYER_DIGEST_MISMATCH)");
  }
}
