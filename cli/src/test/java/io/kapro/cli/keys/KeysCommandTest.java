package io.kapro.cli.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.cli.Cli;
import io.kapro.cli.ExitCodes;
import io.kapro.oci.sign.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {
  static LocalKubeApi api;
  static Cli cli;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    api = LocalKubeApi.start();
    cli = new Cli(api);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @AfterEach
  void allow() {
    api.allowAll();
  }

  private static String keyId(Cli.Result r) {
    return r.lines().stream()
        .filter(l -> l.startsWith("key id: "))
        .findFirst()
        .orElseThrow()
        .substring("key id: ".length());
  }

  @Test
  void generateFilesThenShowEitherHalf() throws Exception {
    Path out = dir.resolve("keys");
    Cli.Result gen = Cli.raw("keys", "generate", "--out-dir", out.toString());
    assertThat(gen.exit()).as(gen.toString()).isZero();
    String id = keyId(gen);
    assertThat(id).matches("[0-9a-f]{64}");
    assertThat(Files.getPosixFilePermissions(out.resolve("cosign.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    SigningKey key = SigningKey.fromPem(Files.readString(out.resolve("cosign.key")), "test");
    assertThat(key.keyId()).isEqualTo(id);

    Cli.Result pub = Cli.raw("keys", "show", "--file", out.resolve("cosign.pub").toString());
    assertThat(pub.exit()).as(pub.toString()).isZero();
    assertThat(keyId(pub)).isEqualTo(id);
    assertThat(pub.out()).contains(Files.readString(out.resolve("cosign.pub")));
    Cli.Result priv =
        Cli.raw("keys", "show", "--file", out.resolve("cosign.key").toString(), "-o", "json");
    JsonNode j = new ObjectMapper().readTree(priv.out());
    assertThat(j.get("keyId").asText()).isEqualTo(id);
    assertThat(j.get("publicKeyPem").asText()).startsWith("-----BEGIN PUBLIC KEY-----");
    assertThat(priv.out()).doesNotContain("PRIVATE");

    Cli.Result again = Cli.raw("keys", "generate", "--out-dir", out.toString());
    assertThat(again.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(again.err()).contains("already holds cosign.key", "--force");
    assertThat(SigningKey.fromPem(Files.readString(out.resolve("cosign.key")), "t").keyId())
        .isEqualTo(id);
    assertThat(Cli.raw("keys", "generate", "--out-dir", out.toString(), "--force").exit()).isZero();
  }

  @Test
  void generateASecretThenShowIt() {
    Cli.Result gen = cli.run("keys", "generate", "--secret", "hub-signing");
    assertThat(gen.exit()).as(gen.toString()).isZero();
    Secret s = api.client().secrets().inNamespace("default").withName("hub-signing").get();
    assertThat(s.getData()).containsKeys("cosign.key", "cosign.pub");
    String pem =
        new String(
            Base64.getDecoder().decode(s.getData().get("cosign.key")), StandardCharsets.US_ASCII);
    assertThat(SigningKey.fromPem(pem, "secret").keyId()).isEqualTo(keyId(gen));
    Cli.Result show = cli.run("keys", "show", "--secret", "hub-signing");
    assertThat(show.exit()).as(show.toString()).isZero();
    assertThat(keyId(show)).isEqualTo(keyId(gen));
    assertThat(keyId(cli.run("keys", "show", "--secret", "hub-signing", "--key", "cosign.pub")))
        .isEqualTo(keyId(gen));

    Cli.Result missingKey = cli.run("keys", "show", "--secret", "hub-signing", "--key", "tls.key");
    assertThat(missingKey.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(missingKey.err()).contains("has no key 'tls.key'", "cosign.key");
    assertThat(cli.run("keys", "show", "--secret", "nope").exit()).isEqualTo(ExitCodes.NOT_FOUND);
    api.forbid("POST", "/api/v1/namespaces/default/secrets");
    assertThat(cli.run("keys", "generate", "--secret", "other").exit())
        .isEqualTo(ExitCodes.FORBIDDEN);
  }

  @Test
  void wrongKeyFormatsAreUsageErrors() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "hello, not a key\n");
    Path der = Files.write(dir.resolve("key.der"), SigningKey.generate().publicKey().getEncoded());
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    String rsaPem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(rsa.generateKeyPair().getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    Path rsaFile = Files.writeString(dir.resolve("rsa.pub"), rsaPem);
    Path encrypted =
        Files.writeString(
            dir.resolve("enc.key"),
            "-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED COSIGN PRIVATE KEY-----\n");
    Path cert =
        Files.writeString(
            dir.resolve("cert.pem"),
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    Path big = Files.write(dir.resolve("big.pem"), new byte[200_000]);
    for (Path p : new Path[] {garbage, der, rsaFile, encrypted, cert, big}) {
      Cli.Result r = Cli.raw("keys", "show", "--file", p.toString());
      assertThat(r.exit()).as(p + "\n" + r).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err())
          .as(p.toString())
          .startsWith("error: ")
          .contains("hint: ")
          .doesNotContain("\tat ");
    }
    assertThat(Cli.raw("keys", "show", "--file", garbage.toString()).err())
        .contains("no 'PUBLIC KEY' PEM block");
    assertThat(Cli.raw("keys", "show", "--file", encrypted.toString()).err()).contains("encrypted");
    Cli.Result missing = Cli.raw("keys", "show", "--file", dir.resolve("nope.pem").toString());
    assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("no such file");
    Cli.Result both = Cli.raw("keys", "show", "--file", garbage.toString(), "--secret", "x");
    assertThat(both.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.raw("keys", "generate").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.raw("keys").exit()).isEqualTo(ExitCodes.USAGE);
    Cli.Result file = Cli.raw("keys", "generate", "--out-dir", garbage.toString());
    assertThat(file.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run("keys", "generate", "--secret", "Bad_Name").exit())
        .isEqualTo(ExitCodes.USAGE);
  }
}
