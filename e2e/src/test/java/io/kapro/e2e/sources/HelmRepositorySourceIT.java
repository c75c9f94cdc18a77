package io.kapro.e2e.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.SearchResult;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.FleetSpec;
import io.kapro.api.v1alpha2.FleetUnit;
import io.kapro.api.v1alpha2.HelmSource;
import io.kapro.api.v1alpha2.Source;
import io.kapro.api.v1alpha2.SourceSpec;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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
      HubOperator hub =
          HubOperator.start(
              client,
              r -> {
                throw new IllegalStateException("no publishing in this test");
              },
              new HubOperator.Settings(Clock.systemUTC(), Duration.ofSeconds(30)));
      try {
        fleet(client);
        Source s = new Source();
        s.getMetadata().setName("web-chart");
        SourceSpec spec = new SourceSpec();
        spec.setFleet("shop");
        spec.setUnit("web");
        HelmSource helm = new HelmSource();
        helm.setUrl(repo);
        helm.setChart("web");
        helm.setInsecure(true);
        helm.setAllowPrivateNetwork(true);
        spec.setHelm(helm);
        spec.setSemver("^1");
        spec.setInterval("1h");
        s.setSpec(spec);
        client.resource(s).inNamespace("default").create();

        SourceStatus st = awaitStatus(client, x -> "1.1.0".equals(x.getLatest()));
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
        client
            .resources(Source.class)
            .inNamespace("default")
            .withName("web-chart")
            .edit(
                cur -> {
                  Map<String, String> a = new HashMap<>();
                  a.put("kapro.io/check-requested-at", Instant.now().toString());
                  cur.getMetadata().setAnnotations(a);
                  return cur;
                });
        st = awaitStatus(client, x -> "1.3.0".equals(x.getLatest()));
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
    Path work = dir.resolve("chart");
    if (!Files.exists(work.resolve("web"))) {
      Files.createDirectories(work);
      Helm.create().withName("web").withDir(work).call();
    }
    Path chart = work.resolve("web");
    Path chartYaml = chart.resolve("Chart.yaml");
    Files.writeString(
        chartYaml,
        Files.readString(chartYaml).replaceAll("(?m)^version: .*$", "version: " + version));
    Path out = Files.createDirectories(dir.resolve("out-" + version));
    new Helm(chart).packageIt().withDestination(out).call();
    String file = "web-" + version + ".tgz";
    byte[] tgz = Files.readAllBytes(out.resolve(file));
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

  private static void fleet(KubernetesClient client) {
    Fleet f = new Fleet();
    f.getMetadata().setName("shop");
    FleetSpec fs = new FleetSpec();
    FleetUnit web = new FleetUnit();
    web.setName("web");
    fs.setUnits(List.of(web));
    f.setSpec(fs);
    client.resource(f).inNamespace("default").create();
  }

  private static SourceStatus awaitStatus(
      KubernetesClient client, java.util.function.Predicate<SourceStatus> done) {
    SourceStatus[] out = new SourceStatus[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              Source s =
                  client.resources(Source.class).inNamespace("default").withName("web-chart").get();
              out[0] = s == null ? null : s.getStatus();
              return out[0] != null && done.test(out[0]);
            });
    return out[0];
  }
}
