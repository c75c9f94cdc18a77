package io.kapro.e2e.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs each image the way a container runtime would, without one: its layers unpacked into a root
 * file system, the image's entrypoint and environment, user 65532, in a chroot with a private /proc
 * (so nothing of the host's Java or libraries is used). Needs root, {@code unshare} and {@code
 * chroot}; skipped otherwise (ImageTarTest still checks every image's contents).
 */
class ImageRunIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private Path work;

  @BeforeEach
  void canRun() throws IOException {
    assumeFalse(Boolean.getBoolean("kapro.image.skip"), "built with -Dkapro.image.skip=true");
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root for chroot");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/unshare"))
            && Files.isExecutable(Path.of("/usr/sbin/chroot")),
        "needs unshare and chroot");
    work =
        Files.createTempDirectory(
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"))), "image-run-");
  }

  @AfterEach
  void clean() throws IOException {
    if (work != null) {
      try (Stream<Path> files = Files.walk(work)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Test
  void theCliImageRunsKaproAsNonRoot() throws Exception {
    Image image = unpack("cli");
    Run r = image.run(List.of("--help"), Map.of());
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("Usage: kapro", "certs");
  }

  @Test
  void theAgentImageValidatesAConfiguration() throws Exception {
    Image image = unpack("spoke-agent");
    Files.writeString(image.root().resolve("tmp/key.pub"), publicKeyPem());
    Files.writeString(
        image.root().resolve("tmp/agent.yaml"),
        """
        cluster: {namespace: shop, name: edge-1}
        hub: {address: "hub.example.com:443"}
        bundleSource: {registry: {url: registry.example.com, repository: kapro/shop/edge-1}}
        trustedKeys: [/tmp/key.pub]
        allow:
          - {apiVersion: helm.toolkit.fluxcd.io/v2, kind: HelmRelease, fields: [spec.chart.spec.version]}
        stateDir: /tmp/state
        """);
    Run ok = image.run(List.of("--config", "/tmp/agent.yaml", "--check-config"), Map.of());
    assertThat(ok.exit()).as(ok.output()).isZero();
    assertThat(ok.output()).contains("configuration /tmp/agent.yaml is valid");
    Run bad = image.run(List.of("--config", "/tmp/missing.yaml", "--check-config"), Map.of());
    assertThat(bad.exit()).as(bad.output()).isEqualTo(2);
  }

  @Test
  void theHubImageStartsAndReportsAnUnreachableApiServer() throws Exception {
    Image image = unpack("hub");
    Run r =
        image.run(
            List.of(),
            Map.of(
                "KAPRO_NAMESPACE", "kapro-system",
                "KUBERNETES_MASTER", "https://127.0.0.1:1",
                "KUBERNETES_AUTH_TRYKUBECONFIG", "false",
                "KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false",
                "KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT", "0"));
    assertThat(r.exit()).as(r.output()).isEqualTo(1);
    assertThat(r.output())
        .contains("kapro-hub could not start")
        .doesNotContain("NoClassDefFoundError", "ClassNotFoundException", "UnsatisfiedLinkError");
    Run bad = image.run(List.of(), Map.of("KAPRO_RESYNC", "soon"));
    assertThat(bad.exit()).as(bad.output()).isEqualTo(2);
    assertThat(bad.output()).contains("KAPRO_RESYNC: \"soon\" is not a duration");
  }

  record Run(int exit, String output) {}

  record Image(Path root, List<String> entrypoint, List<String> env) {
    Run run(List<String> args, Map<String, String> extraEnv) throws Exception {
      List<String> cmd = new ArrayList<>(List.of("/usr/bin/unshare", "-m", "-p", "-f"));
      cmd.add("--mount-proc=" + root.resolve("proc"));
      cmd.addAll(List.of("/usr/sbin/chroot", "--userspec=65532:65532", root.toString()));
      cmd.addAll(entrypoint);
      cmd.addAll(args);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().clear();
      for (String e : env) {
        int eq = e.indexOf('=');
        pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
      }
      pb.environment().putAll(extraEnv);
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("image did not exit: " + new String(out, StandardCharsets.UTF_8));
      }
      return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
  }

  private Image unpack(String module) throws Exception {
    Path tar = ROOT.resolve(module).resolve("target/jib-image.tar");
    assertThat(tar).isRegularFile();
    Path blobs = Files.createDirectories(work.resolve(module + "-tar"));
    Path root = Files.createDirectories(work.resolve(module + "-root"));
    exec("tar", "-xf", tar.toString(), "-C", blobs.toString());
    JsonNode manifest = JSON.readTree(blobs.resolve("manifest.json").toFile()).get(0);
    for (JsonNode layer : manifest.path("Layers")) {
      exec("tar", "-xf", blobs.resolve(layer.asText()).toString(), "-C", root.toString());
    }
    Files.createDirectories(root.resolve("proc"));
    JsonNode config =
        JSON.readTree(blobs.resolve(manifest.path("Config").asText()).toFile()).path("config");
    List<String> entrypoint = new ArrayList<>();
    config.path("Entrypoint").forEach(n -> entrypoint.add(n.asText()));
    List<String> env = new ArrayList<>();
    config.path("Env").forEach(n -> env.add(n.asText()));
    return new Image(root, entrypoint, env);
  }

  private static void exec(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  private static String publicKeyPem() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes())
            .encodeToString(g.generateKeyPair().getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }
}
