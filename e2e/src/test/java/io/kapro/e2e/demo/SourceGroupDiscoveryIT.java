package io.kapro.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.OciSource;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionMode;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.Source;
import io.kapro.api.v1alpha2.SourceGroup;
import io.kapro.api.v1alpha2.SourceGroupSpec;
import io.kapro.api.v1alpha2.SourceGroupStatus;
import io.kapro.api.v1alpha2.SourcePolicy;
import io.kapro.api.v1alpha2.SourceSpec;
import io.kapro.api.v1alpha2.UnitVersion;
import io.kapro.oci.testing.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A SourceGroup in the demo fleet (real hub, registry, agents): the web image and the api's
 * manifests are watched by two Sources grouped into one set. Tags pushed to both repositories
 * during the run make one set; with Manual it is listed as available and nothing moves; switched to
 * Auto, one Promotion carries both versions and the canary converges on both, without a CLI call
 * and without either unit moving alone.
 */
class SourceGroupDiscoveryIT {
  private static final Duration RUN = Duration.ofMinutes(3);
  private static final String CANARY = "canary-eu-1";

  @org.junit.jupiter.api.io.TempDir Path dir;
  private final List<String> log = new ArrayList<>();
  private DemoFleet fleet;

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
  }

  private synchronized void say(String line) {
    log.add(line);
  }

  @Test
  @Timeout(300)
  void aSetPushedDuringTheRunIsAvailableWhenManualAndPromotedAsOneWhenAuto() {
    fleet = DemoFleet.start(DemoOptions.defaults().withClusters(2), dir, this::say);
    assertThat(fleet.usesRegistry()).as("needs /usr/bin/docker-registry").isTrue();
    fleet.applyBaseline();
    DemoRun.Result baseline = new DemoRun(fleet, l -> {}, true).follow("shop-1-3-0", RUN);
    assertThat(baseline.phase()).as(String.join("\n", log)).isEqualTo(RunPhase.Succeeded);
    KubernetesClient client = fleet.client();
    String host = fleet.registryHost().orElseThrow();
    TestImages.push(host, "shop/web", DemoFleet.OLD_WEB);
    TestImages.push(host, "shop/api-config", DemoFleet.OLD_API);
    client.resource(group()).create();
    client.resource(source(host, "web-image", "web", "shop/web")).create();
    client.resource(source(host, "api-config", "api", "shop/api-config")).create();
    SourceGroupStatus s =
        awaitGroup(
            st ->
                ("web=" + DemoFleet.OLD_WEB + " api=" + DemoFleet.OLD_API).equals(st.getLatest())
                    && st.getProven() != null);
    assertThat(s.getAvailable()).as("what the fleet runs is not available").isEmpty();

    // manual (the default): both new tags make one set, available; nothing moves
    String web = TestImages.push(host, "shop/web", DemoFleet.NEW_WEB);
    String api = TestImages.push(host, "shop/api-config", DemoFleet.NEW_API);
    checkNow(client, "web-image");
    checkNow(client, "api-config");
    String both = "web=" + DemoFleet.NEW_WEB + " api=" + DemoFleet.NEW_API;
    s = awaitGroup(st -> both.equals(st.getLatest()));
    assertThat(s.getSets().get(0).getMembers())
        .extracting(m -> m.getDigest())
        .containsExactly(web, api);
    assertThat(s.getAvailable()).contains(s.getSets().get(0).getName());
    assertThat(client.resources(Promotion.class).withName("shop-release").get())
        .as("manual: no Promotion")
        .isNull();
    assertThat(fleet.localVersions(CANARY)).contains("web=" + DemoFleet.OLD_WEB);

    // auto: one Promotion with both versions; the canary converges on both, no CLI call
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
    String newest = s.getSets().get(0).getName();
    await()
        .atMost(RUN)
        .untilAsserted(
            () -> {
              Promotion p = client.resources(Promotion.class).withName("shop-release").get();
              assertThat(p).isNotNull();
              assertThat(
                      p.getSpec().getUnits().stream()
                          .collect(Collectors.toMap(UnitVersion::getName, UnitVersion::getVersion)))
                  .isEqualTo(Map.of("web", DemoFleet.NEW_WEB, "api", DemoFleet.NEW_API));
            });
    await()
        .atMost(RUN)
        .untilAsserted(
            () -> {
              var versions = fleet.cluster(CANARY).getStatus().getVersions();
              assertThat(versions.get("web")).isNotNull();
              assertThat(versions.get("web").getVersion()).isEqualTo(DemoFleet.NEW_WEB);
              assertThat(versions.get("api")).isNotNull();
              assertThat(versions.get("api").getVersion()).isEqualTo(DemoFleet.NEW_API);
            });
    assertThat(fleet.localVersions(CANARY))
        .contains("web=" + DemoFleet.NEW_WEB)
        .contains("api=" + DemoFleet.NEW_API);
    assertThat(awaitGroup(st -> newest.equals(st.getPromoted())).getPromoted()).isEqualTo(newest);
    assertThat(client.resources(Promotion.class).withName("shop-web").get())
        .as("the member Sources never promote alone")
        .isNull();
    assertThat(client.resources(Promotion.class).withName("shop-api").get()).isNull();
  }

  /** What {@code kapro sources --check NAME} does: the annotation the hub watches. */
  private static void checkNow(KubernetesClient client, String name) {
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
              a.put("kapro.io/check-requested-at", Instant.now().toString() + System.nanoTime());
              s.getMetadata().setAnnotations(a);
              return s;
            });
  }

  private SourceGroupStatus awaitGroup(java.util.function.Predicate<SourceGroupStatus> done) {
    SourceGroupStatus[] out = new SourceGroupStatus[1];
    await()
        .atMost(RUN)
        .until(
            () -> {
              SourceGroup g = fleet.client().resources(SourceGroup.class).withName("release").get();
              out[0] = g == null ? null : g.getStatus();
              return out[0] != null && done.test(out[0]);
            });
    return out[0];
  }

  private static SourceGroup group() {
    SourceGroup g = new SourceGroup();
    g.getMetadata().setName("release");
    g.getMetadata().setNamespace(DemoFleet.NAMESPACE);
    SourceGroupSpec spec = new SourceGroupSpec();
    spec.setFleet("shop");
    spec.setSources(List.of("web-image", "api-config"));
    g.setSpec(spec);
    return g;
  }

  private static Source source(String host, String name, String unit, String repository) {
    Source s = new Source();
    s.getMetadata().setName(name);
    s.getMetadata().setNamespace(DemoFleet.NAMESPACE);
    SourceSpec spec = new SourceSpec();
    spec.setFleet("shop");
    spec.setUnit(unit);
    spec.setGroup("release"); // a member names its group: it never promotes its unit alone
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
}
