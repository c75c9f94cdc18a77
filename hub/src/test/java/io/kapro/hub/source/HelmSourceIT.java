package io.kapro.hub.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kapro.api.Examples;
import io.kapro.api.v1alpha2.HelmSource;
import io.kapro.api.v1alpha2.SecretRef;
import io.kapro.api.v1alpha2.Source;
import io.kapro.api.v1alpha2.SourceStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Helm Sources over HTTP in the running hub, against a real HTTP server on loopback serving index
 * files: Helm's own fixture (helm/helm pkg/repo/testdata/local-index.yaml), basic credentials from
 * a Secret, and hostile indexes: malformed YAML, one without end (cut at the size cap before it is
 * read whole), an alias bomb. Each is reported on the Source's Ready condition, naming the field.
 * (Charts packaged by Helm itself and served with their index: e2e HelmRepositorySourceIT.)
 */
class HelmSourceIT {
  private SourceTestbed bed;
  private HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final AtomicLong endlessBytesSent = new AtomicLong();

  @BeforeEach
  void start() throws IOException {
    bed = new SourceTestbed();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::serve);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    bed.close();
  }

  private void serve(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (path.startsWith("/private/")) {
        String want =
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("reader:s3cret".getBytes(StandardCharsets.UTF_8));
        if (!want.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
          ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"charts\"");
          ex.sendResponseHeaders(401, -1);
          return;
        }
        path = path.substring("/private".length());
      }
      if (path.equals("/endless/index.yaml")) {
        ex.sendResponseHeaders(200, 0); // chunked, no declared length
        byte[] chunk = "# padding padding padding padding\n".repeat(1000).getBytes();
        try (OutputStream out = ex.getResponseBody()) {
          out.write("apiVersion: v1\n".getBytes(StandardCharsets.UTF_8));
          for (int i = 0; i < 64 * 1024 * 1024 / chunk.length; i++) {
            out.write(chunk);
            endlessBytesSent.addAndGet(chunk.length);
          }
        } catch (IOException cut) {
          // the hub stopped reading: what this test wants
        }
        return;
      }
      byte[] body = files.get(path);
      if (body == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void helmsOwnIndexIsReadWithDigestsAndArchiveUrls() throws IOException {
    files.put("/stable/index.yaml", fixture("local-index.yaml"));
    bed.source("nginx", spec -> spec.setHelm(repo(base() + "/stable/", "nginx")));
    SourceStatus s = bed.awaitStatus("nginx", st -> "0.2.0".equals(st.getLatest()));
    assertThat(s.getVersions()).extracting(v -> v.getVersion()).containsExactly("0.2.0", "0.1.0");
    assertThat(s.getVersions().get(0).getDigest()).isEqualTo("sha256:1234567890abcdef");
    assertThat(s.getVersions().get(0).getOrigin())
        .isEqualTo("https://charts.helm.sh/stable/nginx-0.2.0.tgz");
    assertThat(s.getTagsListed()).isEqualTo(2);
    assertThat(SourceTestbed.ready(s).getMessage()).contains("2 versions listed");

    bed.source("missing", spec -> spec.setHelm(repo(base() + "/stable", "web")));
    s = bed.awaitReason("missing", "ChartNotFound");
    assertThat(SourceTestbed.ready(s).getMessage()).contains("spec.helm.chart");
  }

  @Test
  void basicCredentialsComeFromASecret() throws IOException {
    files.put("/index.yaml", fixture("local-index.yaml"));
    bed.client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("charts-reader")
                .endMetadata()
                .withType("kubernetes.io/basic-auth")
                .withStringData(Map.of("username", "reader", "password", "s3cret"))
                .build())
        .inNamespace("default")
        .create();
    bed.source("anonymous", spec -> spec.setHelm(repo(base() + "/private", "alpine")));
    SourceStatus denied = bed.awaitReason("anonymous", "SourceUnavailable");
    assertThat(SourceTestbed.ready(denied).getMessage()).contains("spec.helm.url").contains("401");
    bed.source(
        "reader",
        spec -> {
          HelmSource h = repo(base() + "/private", "alpine");
          SecretRef ref = new SecretRef();
          ref.setName("charts-reader");
          h.setCredentialsSecretRef(ref);
          spec.setHelm(h);
        });
    bed.awaitStatus("reader", st -> "1.0.0".equals(st.getLatest()));
  }

  @Test
  void hostileIndexesAreReportedNamingTheFieldAndTheHubCarriesOn() throws IOException {
    files.put("/broken/index.yaml", "apiVersion: v1\nentries:\n  web: [\n".getBytes());
    bed.source("broken", spec -> spec.setHelm(repo(base() + "/broken", "web")));
    SourceStatus s = bed.awaitReason("broken", "MalformedIndex");
    assertThat(SourceTestbed.ready(s).getMessage())
        .contains("spec.helm.url")
        .contains("not valid YAML");
    assertThat(s.getVersions()).isNull();

    StringBuilder bomb = new StringBuilder("apiVersion: v1\nx:\n  a: &a [\"lol\"");
    bomb.append(",\"lol\"".repeat(8)).append("]\n");
    char prev = 'a';
    for (char c = 'b'; c <= 'i'; c++) {
      bomb.append("  ").append(c).append(": &").append(c).append(" [");
      bomb.append(("*" + prev + ",").repeat(8)).append("*").append(prev).append("]\n");
      prev = c;
    }
    bomb.append("entries:\n  web:\n  - version: 1.0.0\n    urls: *i\n");
    files.put("/bomb/index.yaml", bomb.toString().getBytes(StandardCharsets.UTF_8));
    bed.source("bomb", spec -> spec.setHelm(repo(base() + "/bomb", "web")));
    s = bed.awaitReason("bomb", "MalformedIndex");
    assertThat(SourceTestbed.ready(s).getMessage()).contains("spec.helm.url").contains("alias");

    bed.source("endless", spec -> spec.setHelm(repo(base() + "/endless", "web")));
    s = bed.awaitReason("endless", "IndexTooLarge");
    assertThat(SourceTestbed.ready(s).getMessage())
        .contains("spec.helm.url")
        .contains("larger than " + HelmIndex.MAX_BYTES + " bytes");
    assertThat(endlessBytesSent.get())
        .as("cut near the cap, not read to the end (64 MiB)")
        .isLessThan(40L * 1024 * 1024);

    // the hub is fine: a good repository is read as usual
    files.put("/stable/index.yaml", fixture("local-index.yaml"));
    bed.source("nginx", spec -> spec.setHelm(repo(base() + "/stable", "nginx")));
    bed.awaitStatus("nginx", st -> "0.2.0".equals(st.getLatest()));
  }

  @Test
  void theExampleManifestRunsAgainstALoopbackRepository() throws IOException {
    StringBuilder index = new StringBuilder("apiVersion: v1\nentries:\n  web:\n");
    for (String v : List.of("2.0.0", "1.4.0", "1.0.0")) {
      index.append("  - name: web\n    version: ").append(v).append("\n    urls:\n");
      index.append("    - web-").append(v).append(".tgz\n");
    }
    files.put("/index.yaml", index.toString().getBytes(StandardCharsets.UTF_8));
    bed.client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("charts-reader")
                .endMetadata()
                .withStringData(Map.of("username", "reader", "password", "s3cret"))
                .build())
        .inNamespace("default")
        .create();
    Source example =
        (Source)
            Examples.typed(
                Examples.read(Examples.repoRoot().resolve("examples/sources/helm-source.yaml"))
                    .get(0)
                    .object());
    // only where the repository is changes: loopback, plain HTTP, private address allowed
    example.getSpec().getHelm().setUrl(base() + "/private");
    example.getSpec().getHelm().setInsecure(true);
    example.getSpec().getHelm().setAllowPrivateNetwork(true);
    bed.client.resource(example).inNamespace("default").create();
    SourceStatus s = bed.awaitStatus("web-chart", st -> "1.4.0".equals(st.getLatest()));
    assertThat(s.getVersions()).extracting(v -> v.getVersion()).containsExactly("1.4.0", "1.0.0");
    assertThat(s.getVersions().get(0).getOrigin()).isEqualTo(base() + "/private/web-1.4.0.tgz");
  }

  @Test
  void plainHttpAndPrivateAddressesNeedToBeAllowed() {
    bed.source(
        "plain",
        spec -> {
          HelmSource h = repo(base(), "web");
          h.setInsecure(false);
          spec.setHelm(h);
        });
    SourceStatus s = bed.awaitReason("plain", "InvalidSpec");
    assertThat(SourceTestbed.ready(s).getMessage()).contains("spec.helm.insecure: true");
    bed.source(
        "private",
        spec -> {
          HelmSource h = repo(base(), "web");
          h.setAllowPrivateNetwork(false);
          spec.setHelm(h);
        });
    s = bed.awaitReason("private", "InvalidSpec");
    assertThat(SourceTestbed.ready(s).getMessage())
        .contains("spec.helm")
        .contains("private address")
        .contains("allowPrivateNetwork");
  }

  private static HelmSource repo(String url, String chart) {
    HelmSource h = new HelmSource();
    h.setUrl(url);
    h.setChart(chart);
    h.setInsecure(true);
    h.setAllowPrivateNetwork(true);
    h.setTimeout("20s");
    return h;
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = HelmSourceIT.class.getResourceAsStream("/helm/" + name)) {
      return in.readAllBytes();
    }
  }
}
