package io.kapro.e2e.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.FleetSpec;
import io.kapro.api.v1alpha2.FleetUnit;
import io.kapro.api.v1alpha2.OciSource;
import io.kapro.api.v1alpha2.Source;
import io.kapro.api.v1alpha2.SourceSpec;
import io.kapro.api.v1alpha2.SourceStatus;
import io.kapro.hub.HubOperator;
import io.kapro.oci.testing.LocalRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Helm chart in an OCI registry is an OCI repository whose tags are the chart versions: charts
 * packaged and pushed by Helm itself (helm-java's native helm, {@code helm push oci://…}) to the
 * real distribution registry on loopback are discovered by a Source with a SemVer constraint, one
 * pushed during the test included.
 */
class OciChartSourceIT {
  @TempDir Path dir;

  @Test
  void chartsPushedByHelmAreDiscoveredByVersion() throws Exception {
    try (LocalKubeApi api = LocalKubeApi.start();
        LocalRegistry registry = LocalRegistry.startPlain()) {
      KubernetesClient client = api.client();
      HubOperator hub =
          HubOperator.start(
              client,
              r -> {
                throw new IllegalStateException("no publishing in this test");
              },
              new HubOperator.Settings(Clock.systemUTC(), Duration.ofSeconds(30)));
      try {
        push(registry, "1.0.0");
        push(registry, "1.1.0");
        Fleet f = new Fleet();
        f.getMetadata().setName("shop");
        FleetSpec fs = new FleetSpec();
        FleetUnit web = new FleetUnit();
        web.setName("web");
        fs.setUnits(List.of(web));
        f.setSpec(fs);
        client.resource(f).inNamespace("default").create();
        Source s = new Source();
        s.getMetadata().setName("web-chart");
        SourceSpec spec = new SourceSpec();
        spec.setFleet("shop");
        spec.setUnit("web");
        OciSource oci = new OciSource();
        oci.setUrl("http://" + registry.host());
        oci.setInsecure(true);
        oci.setAllowPrivateNetwork(true);
        oci.setRepository("charts/web");
        spec.setOci(oci);
        spec.setSemver("^1");
        spec.setInterval("1h");
        s.setSpec(spec);
        client.resource(s).inNamespace("default").create();
        SourceStatus st = awaitStatus(client, x -> "1.1.0".equals(x.getLatest()));
        assertThat(st.getVersions())
            .extracting(v -> v.getVersion())
            .containsExactly("1.1.0", "1.0.0");
        assertThat(st.getVersions().get(0).getDigest()).startsWith("sha256:");

        push(registry, "1.2.0");
        push(registry, "2.0.0");
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
        st = awaitStatus(client, x -> "1.2.0".equals(x.getLatest()));
        assertThat(st.getVersions())
            .extracting(v -> v.getVersion())
            .containsExactly("1.2.0", "1.1.0", "1.0.0");
        assertThat(st.getAvailable()).containsExactly("1.2.0", "1.1.0", "1.0.0");
      } finally {
        hub.close();
      }
    }
  }

  /**
   * The same charts through {@code spec.helm} with an {@code oci://} URL (repository {@code
   * charts/<chart>}): Helm writes a version's {@code +} as {@code _} in the tag, the Source reads
   * it back as the chart version.
   */
  @Test
  void anOciHelmRepositoryIsWatchedThroughSpecHelm() throws Exception {
    try (LocalKubeApi api = LocalKubeApi.start();
        LocalRegistry registry = LocalRegistry.startPlain()) {
      KubernetesClient client = api.client();
      HubOperator hub =
          HubOperator.start(
              client,
              r -> {
                throw new IllegalStateException("no publishing in this test");
              },
              new HubOperator.Settings(Clock.systemUTC(), Duration.ofSeconds(30)));
      try {
        push(registry, "1.0.0");
        push(registry, "1.1.0+build.7");
        push(registry, "2.0.0");
        Fleet f = new Fleet();
        f.getMetadata().setName("shop");
        FleetSpec fs = new FleetSpec();
        FleetUnit web = new FleetUnit();
        web.setName("web");
        fs.setUnits(List.of(web));
        f.setSpec(fs);
        client.resource(f).inNamespace("default").create();
        Source s = new Source();
        s.getMetadata().setName("web-chart");
        SourceSpec spec = new SourceSpec();
        spec.setFleet("shop");
        spec.setUnit("web");
        io.kapro.api.v1alpha2.HelmSource helm = new io.kapro.api.v1alpha2.HelmSource();
        helm.setUrl("oci://" + registry.host() + "/charts");
        helm.setChart("web");
        helm.setInsecure(true);
        helm.setAllowPrivateNetwork(true);
        spec.setHelm(helm);
        spec.setSemver("^1");
        spec.setInterval("1h");
        s.setSpec(spec);
        client.resource(s).inNamespace("default").create();
        SourceStatus st = awaitStatus(client, x -> "1.1.0+build.7".equals(x.getLatest()));
        assertThat(st.getVersions())
            .extracting(v -> v.getVersion())
            .containsExactly("1.1.0+build.7", "1.0.0");
        assertThat(st.getVersions().get(0).getOrigin())
            .isEqualTo(registry.host() + "/charts/web:1.1.0_build.7");
        assertThat(st.getVersions().get(0).getDigest()).startsWith("sha256:");
      } finally {
        hub.close();
      }
    }
  }

  /** {@code helm create}, set the version, {@code helm package}, {@code helm push --plain-http}. */
  private void push(LocalRegistry registry, String version) throws IOException {
    Path work = Files.createDirectories(dir.resolve("v" + version.replace('+', '_')));
    Helm.create().withName("web").withDir(work).call();
    Path chart = work.resolve("web");
    Path chartYaml = chart.resolve("Chart.yaml");
    Files.writeString(
        chartYaml,
        Files.readString(chartYaml).replaceAll("(?m)^version: .*$", "version: " + version));
    Path out = Files.createDirectories(work.resolve("out"));
    new Helm(chart).packageIt().withDestination(out).call();
    Path tgz = out.resolve("web-" + version + ".tgz");
    assertThat(tgz).exists();
    Helm.push()
        .withChart(tgz)
        .withRemote(URI.create("oci://" + registry.host() + "/charts"))
        .plainHttp()
        .call();
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
