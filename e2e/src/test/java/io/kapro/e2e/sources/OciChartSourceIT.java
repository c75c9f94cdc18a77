package io.kapro.e2e.sources;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.HelmSource;
import io.kapro.api.v1alpha2.OciSource;
import io.kapro.api.v1alpha2.SourceStatus;
import io.kapro.hub.HubOperator;
import io.kapro.oci.testing.LocalRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
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
      HubOperator hub = ChartSources.hub(client);
      try {
        push(registry, "1.0.0");
        push(registry, "1.1.0");
        ChartSources.fleet(client);
        ChartSources.source(
            client,
            spec -> {
              OciSource oci = new OciSource();
              oci.setUrl("http://" + registry.host());
              oci.setInsecure(true);
              oci.setAllowPrivateNetwork(true);
              oci.setRepository("charts/web");
              spec.setOci(oci);
            });
        SourceStatus st = ChartSources.awaitStatus(client, x -> "1.1.0".equals(x.getLatest()));
        assertThat(st.getVersions())
            .extracting(v -> v.getVersion())
            .containsExactly("1.1.0", "1.0.0");
        assertThat(st.getVersions().get(0).getDigest()).startsWith("sha256:");

        push(registry, "1.2.0");
        push(registry, "2.0.0");
        ChartSources.checkNow(client);
        st = ChartSources.awaitStatus(client, x -> "1.2.0".equals(x.getLatest()));
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
      HubOperator hub = ChartSources.hub(client);
      try {
        push(registry, "1.0.0");
        push(registry, "1.1.0+build.7");
        push(registry, "2.0.0");
        ChartSources.fleet(client);
        ChartSources.source(
            client,
            spec -> {
              HelmSource helm = new HelmSource();
              helm.setUrl("oci://" + registry.host() + "/charts");
              helm.setChart("web");
              helm.setInsecure(true);
              helm.setAllowPrivateNetwork(true);
              spec.setHelm(helm);
            });
        SourceStatus st =
            ChartSources.awaitStatus(client, x -> "1.1.0+build.7".equals(x.getLatest()));
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
    Path work = dir.resolve("v" + version.replace('+', '_'));
    Path tgz = ChartSources.packageChart(work, version, work.resolve("out"));
    assertThat(tgz).exists();
    Helm.push()
        .withChart(tgz)
        .withRemote(URI.create("oci://" + registry.host() + "/charts"))
        .plainHttp()
        .call();
  }
}
