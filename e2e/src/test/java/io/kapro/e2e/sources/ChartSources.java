package io.kapro.e2e.sources;

import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.FleetSpec;
import io.kapro.api.v1alpha2.FleetUnit;
import io.kapro.api.v1alpha2.Source;
import io.kapro.api.v1alpha2.SourceSpec;
import io.kapro.api.v1alpha2.SourceStatus;
import io.kapro.hub.HubOperator;
import io.kapro.hub.source.SourceReconciler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What the chart Source ITs share (Helm repository over HTTP, OCI chart repository): the hub's
 * operator without publishing, Fleet {@code shop} with unit {@code web}, Source {@code web-chart}
 * ({@code ^1}, checked every hour), a check request, a chart made by {@code helm create} and {@code
 * helm package}.
 */
final class ChartSources {
  static final String SOURCE = "web-chart";

  private ChartSources() {}

  /** The hub's reconcilers on {@code client}; a publish is a test failure. */
  static HubOperator hub(KubernetesClient client) {
    return HubOperator.start(
        client,
        r -> {
          throw new IllegalStateException("no publishing in this test");
        },
        new HubOperator.Settings(Clock.systemUTC(), Duration.ofSeconds(30)));
  }

  /** Fleet {@code shop} with unit {@code web}. */
  static void fleet(KubernetesClient client) {
    Fleet f = new Fleet();
    f.getMetadata().setName("shop");
    FleetSpec fs = new FleetSpec();
    FleetUnit web = new FleetUnit();
    web.setName("web");
    fs.setUnits(List.of(web));
    f.setSpec(fs);
    client.resource(f).inNamespace("default").create();
  }

  /** Source {@value #SOURCE} of unit {@code web}, {@code ^1}, every hour; its subscription set. */
  static void source(KubernetesClient client, Consumer<SourceSpec> subscription) {
    Source s = new Source();
    s.getMetadata().setName(SOURCE);
    SourceSpec spec = new SourceSpec();
    spec.setFleet("shop");
    spec.setUnit("web");
    subscription.accept(spec);
    spec.setSemver("^1");
    spec.setInterval("1h");
    s.setSpec(spec);
    client.resource(s).inNamespace("default").create();
  }

  /** What {@code kapro sources --check web-chart} does. */
  static void checkNow(KubernetesClient client) {
    client
        .resources(Source.class)
        .inNamespace("default")
        .withName(SOURCE)
        .edit(
            cur -> {
              Map<String, String> a = new HashMap<>();
              a.put(SourceReconciler.CHECK_REQUESTED_AT, Instant.now().toString());
              cur.getMetadata().setAnnotations(a);
              return cur;
            });
  }

  /** The Source's status once {@code done} holds. */
  static SourceStatus awaitStatus(KubernetesClient client, Predicate<SourceStatus> done) {
    SourceStatus[] out = new SourceStatus[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              Source s =
                  client.resources(Source.class).inNamespace("default").withName(SOURCE).get();
              out[0] = s == null ? null : s.getStatus();
              return out[0] != null && done.test(out[0]);
            });
    return out[0];
  }

  /**
   * {@code helm create web} in {@code work} (unless there already), the chart's version set, {@code
   * helm package} into {@code out}: the archive's path.
   */
  static Path packageChart(Path work, String version, Path out) throws IOException {
    Files.createDirectories(work);
    if (!Files.exists(work.resolve("web"))) {
      Helm.create().withName("web").withDir(work).call();
    }
    Path chart = work.resolve("web");
    Path chartYaml = chart.resolve("Chart.yaml");
    Files.writeString(
        chartYaml,
        Files.readString(chartYaml).replaceAll("(?m)^version: .*$", "version: " + version));
    Files.createDirectories(out);
    new Helm(chart).packageIt().withDestination(out).call();
    return out.resolve("web-" + version + ".tgz");
  }
}
