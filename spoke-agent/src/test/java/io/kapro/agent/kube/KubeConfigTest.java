package io.kapro.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kapro.agent.testing.MutableClock;
import io.kapro.agent.testing.TestCa;
import io.kapro.oci.sign.Pem;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the agent finds its API server, checked against the real {@code kubectl} ({@code kubectl
 * config view --minify --raw --flatten -o json}: the cluster and user of the current context, files
 * inlined) on the same files and the same {@code KUBECONFIG}.
 *
 * <p>Cases: the example of Kubernetes' kubeconfig guide (kubernetes/kubernetes {@code
 * docs/user-guide/kubeconfig-file.md}, v1.0, as mirrored in ztsyed/kubernetes@00e34429: clusters
 * cow/horse/pig, users blue/green/black, contexts federal-context and queen-anne-context, a
 * relative {@code certificate-authority: path/to/my/cafile}); the loading rules of {@code kubectl
 * config --help} ("If $KUBECONFIG environment variable is set, then it is used as a list of paths
 * ... These paths are merged"; the first file to set a value or map key wins, Kubernetes docs
 * "Organizing Cluster Access Using kubeconfig Files", merging rules); relative paths relative to
 * the file (same page: "File references ... relative to the location of the kubeconfig file");
 * embedded {@code -data} fields; {@code tokenFile}; and the client key as kubeadm/kind write it
 * (PKCS#1 {@code RSA PRIVATE KEY}, made here by {@code openssl}).
 */
class KubeConfigTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  TestCa ca;
  TestCa.Issued client;

  @BeforeEach
  void material() throws Exception {
    ca = new TestCa();
    client = ca.issueServer("green-user");
    Files.createDirectories(dir.resolve("path/to/my/client"));
    ca.writeCertificate(dir.resolve("path/to/my/cafile"));
    client.write(dir.resolve("path/to/my/client/cert"), dir.resolve("path/to/my/client/key"));
  }

  /** The guide's example file, with {@code current} as its current context. */
  String guideExample(String current) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            server: http://cow.org:8080
          name: cow-cluster
        - cluster:
            certificate-authority: path/to/my/cafile
            server: https://horse.org:4443
          name: horse-cluster
        - cluster:
            insecure-skip-tls-verify: true
            server: https://pig.org:443
          name: pig-cluster
        contexts:
        - context:
            cluster: horse-cluster
            namespace: chisel-ns
            user: green-user
          name: federal-context
        - context:
            cluster: pig-cluster
            namespace: saw-ns
            user: black-user
          name: queen-anne-context
        current-context: %s
        preferences:
          colors: true
        users:
        - name: blue-user
          user:
            token: blue-token
        - name: green-user
          user:
            client-certificate: path/to/my/client/cert
            client-key: path/to/my/client/key
        - name: black-user
          user:
            token: black-token
        """
        .formatted(current);
  }

  @Test
  void theGuidesFederalContextRelativeCaAndClientCertificateFiles() throws Exception {
    Path f = Files.writeString(dir.resolve("config"), guideExample("federal-context"));
    KubeConfig c = agreesWithKubectl(f.toString());
    assertThat(c.server()).isEqualTo(URI.create("https://horse.org:4443"));
    assertThat(c.trust()).containsExactly(ca.certificate());
    assertThat(c.clientChain()).containsExactly(client.certificate());
    assertThat(c.clientKey().getEncoded()).isEqualTo(client.key().getPrivate().getEncoded());
    assertThat(c.insecure()).isFalse();
  }

  @Test
  void theGuidesQueenAnneContextIsInsecureWithAToken() throws Exception {
    Path f = Files.writeString(dir.resolve("config"), guideExample("queen-anne-context"));
    KubeConfig c = agreesWithKubectl(f.toString());
    assertThat(c.server()).isEqualTo(URI.create("https://pig.org:443"));
    assertThat(c.insecure()).isTrue();
    assertThat(c.token().get()).contains("black-token");
  }

  @Test
  void severalFilesMergeFirstCurrentContextAndFirstDefinitionWin() throws Exception {
    Path a =
        Files.writeString(
            dir.resolve("a"),
            """
            apiVersion: v1
            kind: Config
            current-context: edge
            contexts: [{name: edge, context: {cluster: edge, user: agent}}]
            clusters: [{name: edge, cluster: {server: "https://first.example:6443"}}]
            """);
    Files.createDirectories(dir.resolve("b"));
    Path b =
        Files.writeString(
            dir.resolve("b/config"),
            """
            apiVersion: v1
            kind: Config
            current-context: other
            contexts: [{name: other, context: {cluster: edge, user: agent}}]
            clusters: [{name: edge, cluster: {server: "https://second.example:6443"}}]
            users: [{name: agent, user: {token: from-b}}]
            """);
    KubeConfig c = agreesWithKubectl(a + ":" + dir.resolve("missing") + ":" + b);
    assertThat(c.server()).isEqualTo(URI.create("https://first.example:6443"));
    assertThat(c.token().get()).contains("from-b");
  }

  @Test
  void embeddedDataAndAPkcs1RsaClientKeyAsKubeadmWritesIt() throws Exception {
    Path key = dir.resolve("rsa.key");
    Path pkcs1 = dir.resolve("rsa-pkcs1.key");
    run(
        "openssl",
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        key.toString());
    run("openssl", "rsa", "-in", key.toString(), "-traditional", "-out", pkcs1.toString());
    assertThat(Files.readString(pkcs1)).contains("BEGIN RSA PRIVATE KEY");
    Path f =
        Files.writeString(
            dir.resolve("config"),
            """
            apiVersion: v1
            kind: Config
            current-context: kind
            contexts: [{name: kind, context: {cluster: kind, user: admin}}]
            clusters: [{name: kind, cluster: {server: "https://127.0.0.1:6443/", certificate-authority-data: %s}}]
            users: [{name: admin, user: {client-certificate-data: %s, client-key-data: %s}}]
            """
                .formatted(
                    b64(TestCa.pem(ca.certificate())),
                    b64(TestCa.pem(client.certificate())),
                    b64(Files.readString(pkcs1))));
    KubeConfig c = agreesWithKubectl(f.toString());
    assertThat(c.server()).isEqualTo(URI.create("https://127.0.0.1:6443"));
    // the JDK's own reading of openssl's PKCS#8 form of the same key
    String p8 = Files.readString(key);
    byte[] der =
        Base64.getMimeDecoder()
            .decode(
                p8.replace("-----BEGIN PRIVATE KEY-----", "")
                    .replace("-----END PRIVATE KEY-----", "")
                    .strip());
    assertThat(c.clientKey())
        .isEqualTo(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)));
  }

  @Test
  void aTokenFileRelativeToTheKubeconfig() throws Exception {
    Files.writeString(dir.resolve("token"), "file-token\n");
    Path f =
        Files.writeString(
            dir.resolve("config"),
            """
            apiVersion: v1
            kind: Config
            current-context: c
            contexts: [{name: c, context: {cluster: c, user: u}}]
            clusters: [{name: c, cluster: {server: "http://127.0.0.1:8080"}}]
            users: [{name: u, user: {tokenFile: token}}]
            """);
    KubeConfig c = agreesWithKubectl(f.toString());
    assertThat(c.token().get()).contains("file-token");
  }

  /**
   * Resolves {@code kubeconfig} as the agent does and as kubectl does, and compares server, CA,
   * insecure flag, token and client certificate and key.
   */
  KubeConfig agreesWithKubectl(String kubeconfig) throws Exception {
    KubeConfig mine = KubeConfig.resolve(Map.of("KUBECONFIG", kubeconfig), dir, dir.resolve("sa"));
    JsonNode view =
        JSON.readTree(
            run(
                Map.of("KUBECONFIG", kubeconfig, "HOME", dir.toString()),
                "kubectl",
                "config",
                "view",
                "--minify",
                "--raw",
                "--flatten",
                "-o",
                "json"));
    JsonNode cluster = view.path("clusters").get(0).path("cluster");
    JsonNode user = view.path("users").path(0).path("user");
    assertThat(mine.server().toString())
        .isEqualTo(cluster.path("server").asText().replaceAll("/+$", ""));
    assertThat(mine.insecure()).isEqualTo(cluster.path("insecure-skip-tls-verify").asBoolean());
    if (cluster.hasNonNull("certificate-authority-data")) {
      assertThat(mine.trust())
          .isEqualTo(
              Pem.readCertificates(decode(cluster.path("certificate-authority-data")), "kubectl"));
    } else {
      assertThat(mine.trust()).isEmpty();
    }
    String token =
        user.hasNonNull("token")
            ? user.path("token").asText()
            : user.hasNonNull("tokenFile")
                // kubectl prints tokenFile as written; relative to the kubeconfig's directory
                ? Files.readString(
                        Path.of(kubeconfig.split(":")[0])
                            .toAbsolutePath()
                            .getParent()
                            .resolve(user.path("tokenFile").asText()))
                    .strip()
                : null;
    assertThat(mine.token().get().orElse(null)).isEqualTo(token);
    if (user.hasNonNull("client-certificate-data")) {
      assertThat(mine.clientChain())
          .isEqualTo(Pem.readCertificates(decode(user.path("client-certificate-data")), "kubectl"));
      assertThat(mine.clientKey())
          .isEqualTo(PemKeys.privateKey(decode(user.path("client-key-data")), "kubectl"));
    } else {
      assertThat(mine.clientChain()).isEmpty();
      assertThat(mine.clientKey()).isNull();
    }
    return mine;
  }

  @Test
  void inAPodTheServiceAccountAndItsRotatingToken() throws Exception {
    Path sa = Files.createDirectories(dir.resolve("sa"));
    Files.writeString(sa.resolve("token"), "first");
    ca.writeCertificate(sa.resolve("ca.crt"));
    Map<String, String> env =
        Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443");
    KubeConfig c = KubeConfig.resolve(env, dir, sa);
    assertThat(c.server()).isEqualTo(URI.create("https://10.96.0.1:443"));
    assertThat(c.trust()).containsExactly(ca.certificate());
    assertThat(c.token().get()).contains("first");

    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    KubeConfig.FileToken token = new KubeConfig.FileToken(sa.resolve("token"), clock);
    assertThat(token.get()).contains("first");
    Files.writeString(sa.resolve("token"), "rotated");
    assertThat(token.get()).contains("first"); // cached for a minute, as client-go
    clock.advance(Duration.ofMinutes(1));
    assertThat(token.get()).contains("rotated");
    Files.delete(sa.resolve("token"));
    clock.advance(Duration.ofMinutes(1));
    assertThat(token.get()).contains("rotated"); // kept until the file is back
  }

  @Test
  void aKubeconfigWinsOverThePodAndKubernetesMasterReplacesTheServer() throws Exception {
    Files.createDirectories(dir.resolve(".kube"));
    Files.writeString(dir.resolve(".kube/config"), guideExample("queen-anne-context"));
    Map<String, String> env = new HashMap<>();
    env.put("KUBERNETES_SERVICE_HOST", "10.96.0.1");
    env.put("KUBERNETES_SERVICE_PORT", "443");
    assertThat(KubeConfig.resolve(env, dir, dir.resolve("sa")).server())
        .isEqualTo(URI.create("https://pig.org:443"));
    env.put("KUBERNETES_MASTER", "http://127.0.0.1:8001");
    KubeConfig c = KubeConfig.resolve(env, dir, dir.resolve("sa"));
    assertThat(c.server()).isEqualTo(URI.create("http://127.0.0.1:8001"));
    assertThat(c.token().get()).contains("black-token");
  }

  @Test
  void nothingConfiguredOrUnsupportedIsAnErrorNamingWhatToSet() throws Exception {
    assertThatThrownBy(() -> KubeConfig.resolve(Map.of(), dir, dir.resolve("sa")))
        .isInstanceOf(KubeException.class)
        .hasMessageContaining("KUBECONFIG")
        .hasMessageContaining("KUBERNETES_SERVICE_HOST")
        .hasMessageContaining("KUBERNETES_MASTER");
    assertThatThrownBy(
            () ->
                KubeConfig.resolve(
                    Map.of("KUBECONFIG", dir.resolve("nope").toString()), dir, dir.resolve("sa")))
        .hasMessageContaining("names no existing file");
    Path f =
        Files.writeString(
            dir.resolve("exec"),
            """
            current-context: c
            contexts: [{name: c, context: {cluster: c, user: u}}]
            clusters: [{name: c, cluster: {server: "https://x:6443"}}]
            users: [{name: u, user: {exec: {command: aws}}}]
            """);
    assertThatThrownBy(() -> KubeConfig.resolve(Map.of("KUBECONFIG", f.toString()), dir, dir))
        .hasMessageContaining("user 'u' uses 'exec'")
        .hasMessageContaining("token");
    assertThatThrownBy(
            () ->
                KubeConfig.resolve(
                    Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1", "KUBERNETES_SERVICE_PORT", "443"),
                    dir,
                    dir.resolve("no-sa")))
        .hasMessageContaining("token")
        .hasMessageContaining("automountServiceAccountToken");
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String decode(JsonNode n) {
    return new String(Base64.getDecoder().decode(n.asText()), StandardCharsets.UTF_8);
  }

  static String run(String... cmd) throws IOException, InterruptedException {
    return run(Map.of(), cmd);
  }

  static String run(Map<String, String> env, String... cmd)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    return out;
  }
}
