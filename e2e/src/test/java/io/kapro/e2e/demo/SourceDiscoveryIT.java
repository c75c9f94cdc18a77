package io.kapro.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.Source;
import io.kapro.api.v1alpha2.SourceStatus;
import io.kapro.oci.testing.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artifact discovery in the demo fleet (real hub, registry, agents): a Source watches the web
 * image's tags in the registry; tags are pushed during the run. With the Fleet's promotion Manual a
 * new tag is listed as available and nothing moves; switched to Auto, a Promotion appears and the
 * canary converges on the tag without any CLI call; a tag outside the constraint is ignored.
 */
class SourceDiscoveryIT {
  private static final Duration RUN = Duration.ofMinutes(3);
  private static final String CANARY = "canary-eu-1";

  @TempDir Path dir;
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private DemoFleet fleet;

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  @Timeout(300)
  void aTagPushedDuringTheRunIsListedWhenManualAndPromotedToTheCanaryWhenAuto() {
    fleet = DemoSources.startAfterBaseline(dir, log, RUN);
    KubernetesClient client = fleet.client();
    String host = fleet.registryHost().orElseThrow();
    TestImages.push(host, "shop/web", DemoFleet.OLD_WEB);
    client.resource(DemoSources.ociSource(host, "web", "web", "shop/web", null)).create();
    SourceStatus s = awaitSource(st -> DemoFleet.OLD_WEB.equals(st.getLatest()));
    assertThat(s.getProven()).isEqualTo(DemoFleet.OLD_WEB);
    assertThat(s.getAvailable()).isEmpty();

    // manual (the default): the new tag is available, nothing moves; 2.0.0 is outside the range
    String digest = TestImages.push(host, "shop/web", DemoFleet.NEW_WEB);
    TestImages.push(host, "shop/web", "2.0.0");
    DemoSources.checkNow(client, "web");
    s = awaitSource(st -> DemoFleet.NEW_WEB.equals(st.getLatest()));
    assertThat(s.getAvailable()).containsExactly(DemoFleet.NEW_WEB);
    assertThat(s.getVersions().get(0).getDigest()).isEqualTo(digest);
    assertThat(s.getVersions()).noneMatch(v -> v.getVersion().equals("2.0.0"));
    assertThat(promotion(client)).as("manual: no Promotion").isNull();
    assertThat(fleet.localVersions(CANARY)).contains("web=" + DemoFleet.OLD_WEB);

    // auto: a Promotion appears and the canary converges on the new tag, no CLI call
    DemoSources.autoPromotion(client);
    DemoSources.checkNow(client, "web");
    await()
        .atMost(RUN)
        .untilAsserted(
            () -> {
              Promotion p = promotion(client);
              assertThat(p).isNotNull();
              assertThat(p.getSpec().getUnits())
                  .singleElement()
                  .satisfies(u -> assertThat(u.getVersion()).isEqualTo(DemoFleet.NEW_WEB));
            });
    await()
        .atMost(RUN)
        .untilAsserted(
            () -> {
              var v = fleet.cluster(CANARY).getStatus().getVersions().get("web");
              assertThat(v).isNotNull();
              assertThat(v.getVersion()).isEqualTo(DemoFleet.NEW_WEB);
            });
    assertThat(fleet.localVersions(CANARY)).contains("web=" + DemoFleet.NEW_WEB);
    assertThat(awaitSource(st -> DemoFleet.NEW_WEB.equals(st.getPromoted())).getPromoted())
        .isEqualTo(DemoFleet.NEW_WEB);
  }

  private static Promotion promotion(KubernetesClient client) {
    return client.resources(Promotion.class).withName("shop-web").get();
  }

  private SourceStatus awaitSource(java.util.function.Predicate<SourceStatus> done) {
    SourceStatus[] out = new SourceStatus[1];
    await()
        .atMost(RUN)
        .until(
            () -> {
              Source s = fleet.client().resources(Source.class).withName("web").get();
              out[0] = s == null ? null : s.getStatus();
              return out[0] != null && done.test(out[0]);
            });
    return out[0];
  }
}
