package io.kapro.e2e.sources;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.SearchResult;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.HelmSource;
import io.kapro.api.v1alpha2.SourceStatus;
import io.kapro.hub.HubOperator;
import io.kapro.oci.bundle.Digests;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Helm chart repository served over HTTP on loopback: charts made and packaged by Helm itself
 * (helm-java's native helm: {@code helm create}, {@code helm package}), their {@code index.yaml} in
 * the layout {@code helm repo index} writes (helm-java 0.0.21 has no {@code repo index}; the
 * index-reading rules are tested on Helm's own fixtures in the hub's HelmIndexTest), and Helm
 * itself as the referee: {@code helm repo add} accepts the repository and {@code helm search repo
 * --version <constraint>} names the same newest version the Source discovers, before and after a
 * chart is added during the test.
 */
class HelmRepositorySourceIT {
  @TempDir Path dir;

  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, String> entries = new TreeMap<>();

  @Test
  void chartsPackagedByHelmAreDiscoveredAsHelmSeesThem() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/charts/", this::serve);
    server.start();
    String repo = "http://127.0.0.1:" + server.getAddress().getPort() + "/charts";
    try (LocalKubeApi api = LocalKubeApi.start()) {
      publish("1.0.0");
      publish("1.1.0");
      publish("1.2.0-rc.1");
      publish("2.0.0");
      Path repositories = dir.resolve("repositories.yaml");
      Helm.repo()
          .add()
          .withRepositoryConfig(repositories)
          .withName("kapro-test")
          .withUrl(URI.create(repo))
          .call();
      assertThat(helmNewest(repositories, "^1")).isEqualTo("1.1.0");

      KubernetesClient client = api.client();
      HubOperator hub = ChartSources.hub(client);
      try {
        ChartSources.fleet(client);
        ChartSources.source(
            client,
            spec -> {
              HelmSource helm = new HelmSource();
              helm.setUrl(repo);
              helm.setChart("web");
              helm.setInsecure(true);
              helm.setAllowPrivateNetwork(true);
              spec.setHelm(helm);
            });

        SourceStatus st = ChartSources.awaitStatus(client, x -> "1.1.0".equals(x.getLatest()));
        assertThat(st.getVersions())
            .extracting(v -> v.getVersion())
            .containsExactly("1.1.0", "1.0.0");
        assertThat(st.getVersions().get(0).getDigest())
            .isEqualTo(Digests.sha256(files.get("/charts/web-1.1.0.tgz")));
        assertThat(st.getVersions().get(0).getOrigin()).isEqualTo(repo + "/web-1.1.0.tgz");
        assertThat(st.getVersions().get(0).getPublishedAt()).isNotNull();
        assertThat(st.getTagsListed()).isEqualTo(4);

        // a chart released during the run: Helm and the Source agree on the newest again
        publish("1.3.0");
        Helm.repo().update().withRepositoryConfig(repositories).call();
        assertThat(helmNewest(repositories, "^1")).isEqualTo("1.3.0");
        ChartSources.checkNow(client);
        st = ChartSources.awaitStatus(client, x -> "1.3.0".equals(x.getLatest()));
        assertThat(st.getAvailable()).containsExactly("1.3.0", "1.1.0", "1.0.0");
      } finally {
        hub.close();
      }
    } finally {
      server.stop(0);
    }
  }

  /** Helm's answer: the newest version of kapro-test/web inside {@code constraint}. */
  private static String helmNewest(Path repositories, String constraint) {
    List<SearchResult> found =
        Helm.search()
            .repo()
            .withRepositoryConfig(repositories)
            .withKeyword("kapro-test/web")
            .withVersion(constraint)
            .call();
    assertThat(found).as("helm search repo kapro-test/web --version " + constraint).isNotEmpty();
    return found.get(0).getChartVersion();
  }

  /**
   * {@code helm create} (once), the version set, {@code helm package}; served with an index entry.
   */
  private void publish(String version) throws IOException {
    String file = "web-" + version + ".tgz";
    byte[] tgz =
        Files.readAllBytes(
            ChartSources.packageChart(
                dir.resolve("chart"), version, dir.resolve("out-" + version)));
    files.put("/charts/" + file, tgz);
    // the fields and layout helm repo index writes for a chart (Chart.yaml metadata, then
    // created, digest = sha256 of the archive in hex, urls relative to the repository)
    entries.put(
        version,
        "  - apiVersion: v2\n"
            + "    appVersion: 1.16.0\n"
            + "    created: \""
            + Instant.now()
            + "\"\n"
            + "    description: A Helm chart for Kubernetes\n"
            + "    digest: "
            + Digests.sha256(tgz).substring("sha256:".length())
            + "\n"
            + "    name: web\n"
            + "    type: application\n"
            + "    urls:\n"
            + "    - "
            + file
            + "\n"
            + "    version: "
            + version
            + "\n");
    StringBuilder index = new StringBuilder("apiVersion: v1\nentries:\n  web:\n");
    entries.values().forEach(index::append);
    index.append("generated: \"").append(Instant.now()).append("\"\n");
    files.put("/charts/index.yaml", index.toString().getBytes(StandardCharsets.UTF_8));
  }

  private void serve(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = files.get(ex.getRequestURI().getPath());
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
}
