package io.kapro.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.OciSource;
import io.kapro.api.v1alpha2.PromotionMode;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.Source;
import io.kapro.api.v1alpha2.SourcePolicy;
import io.kapro.api.v1alpha2.SourceSpec;
import io.kapro.hub.source.SourceReconciler;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the demo fleet's discovery ITs share ({@code SourceDiscoveryIT}, {@code
 * SourceGroupDiscoveryIT}): the fleet with its baseline run succeeded, Sources on the fleet's
 * registry, a check request, and the Fleet's source promotion switched to Auto.
 */
final class DemoSources {
  private DemoSources() {}

  /**
   * The demo fleet (2 clusters, the registry) with its baseline run {@code shop-1-3-0} succeeded
   * within {@code run}; its output lines go to {@code log} (a synchronized list). Closed again when
   * that fails.
   */
  static DemoFleet startAfterBaseline(Path dir, List<String> log, Duration run) {
    DemoFleet fleet = DemoFleet.start(DemoOptions.defaults().withClusters(2), dir, log::add);
    try {
      assertThat(fleet.usesRegistry()).as("needs /usr/bin/docker-registry").isTrue();
      fleet.applyBaseline();
      DemoRun.Result baseline = new DemoRun(fleet, l -> {}, true).follow("shop-1-3-0", run);
      assertThat(baseline.phase()).as(String.join("\n", log)).isEqualTo(RunPhase.Succeeded);
      return fleet;
    } catch (RuntimeException | AssertionError e) {
      fleet.close();
      throw e;
    }
  }

  /**
   * Source {@code name} of unit {@code unit} on the fleet's registry at {@code host}, versions
   * {@code >=1.0.0 <2.0.0}, checked every hour; a member of SourceGroup {@code group} unless null.
   */
  static Source ociSource(String host, String name, String unit, String repository, String group) {
    Source s = new Source();
    s.getMetadata().setName(name);
    s.getMetadata().setNamespace(DemoFleet.NAMESPACE);
    SourceSpec spec = new SourceSpec();
    spec.setFleet("shop");
    spec.setUnit(unit);
    spec.setGroup(group);
    OciSource oci = new OciSource();
    oci.setUrl("http://" + host);
    oci.setInsecure(true);
    oci.setAllowPrivateNetwork(true);
    oci.setRepository(repository);
    spec.setOci(oci);
    spec.setSemver(">=1.0.0 <2.0.0");
    spec.setInterval("1h");
    s.setSpec(spec);
    return s;
  }

  /** What {@code kapro sources --check NAME} does: the annotation the hub watches. */
  static void checkNow(KubernetesClient client, String name) {
    client
        .resources(Source.class)
        .withName(name)
        .edit(
            s -> {
              Map<String, String> a =
                  new HashMap<>(
                      s.getMetadata().getAnnotations() == null
                          ? Map.of()
                          : s.getMetadata().getAnnotations());
              a.put(
                  SourceReconciler.CHECK_REQUESTED_AT,
                  Instant.now().toString() + System.nanoTime());
              s.getMetadata().setAnnotations(a);
              return s;
            });
  }

  /** Fleet {@code shop}'s discovered versions promoted with Auto through Plan canary-then-prod. */
  static void autoPromotion(KubernetesClient client) {
    client
        .resources(Fleet.class)
        .withName("shop")
        .edit(
            f -> {
              SourcePolicy p = new SourcePolicy();
              p.setPromotion(PromotionMode.Auto);
              p.setPlan("canary-then-prod");
              f.getSpec().setSources(p);
              return f;
            });
  }
}
