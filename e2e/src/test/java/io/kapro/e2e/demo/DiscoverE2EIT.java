package io.kapro.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kapro.api.testing.ApiKind;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.FleetUnit;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionSpec;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.UnitVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brownfield adoption on the demo fleet: every cluster already runs a HelmRelease {@code shop/cart}
 * (one cluster at another version: drift) and an Application {@code argocd/payments} owned by an
 * ApplicationSet, which no Fleet names. The agents report them; {@code kapro discover} lists them
 * per cluster with versions; {@code --generate} writes the Fleet with two new units; applied, a
 * promotion moves exactly those two objects; a second {@code --generate} adds nothing.
 */
class DiscoverE2EIT {
  private static final Duration RUN = Duration.ofMinutes(3);

  @TempDir Path dir;
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

  private CliRun kapro(String... args) {
    return CliRun.kapro(fleet, args);
  }

  private static ResourceDefinitionContext context(ApiKind kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(kind.group())
        .withVersion(kind.version())
        .withKind(kind.kind())
        .withPlural(kind.plural())
        .withNamespaced(true)
        .build();
  }

  private static void create(
      KubernetesClient c,
      ApiKind kind,
      String ns,
      String name,
      Map<String, ?> spec,
      boolean owned) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(kind.apiVersion());
    r.setKind(kind.kind());
    ObjectMetaBuilder meta = new ObjectMetaBuilder().withName(name).withNamespace(ns);
    if (owned) {
      meta.withOwnerReferences(
          new OwnerReferenceBuilder()
              .withApiVersion("argoproj.io/v1alpha1")
              .withKind("ApplicationSet")
              .withName("payments-set")
              .withUid("7f1c1e9e-0000-4000-8000-000000000001")
              .build());
    }
    r.setMetadata(meta.build());
    r.setAdditionalProperty("spec", spec);
    c.genericKubernetesResources(context(kind)).inNamespace(ns).resource(r).create();
  }

  private String version(String cluster, ApiKind kind, String ns, String name, String... path) {
    GenericKubernetesResource r =
        fleet
            .clusterClient(cluster)
            .genericKubernetesResources(context(kind))
            .inNamespace(ns)
            .withName(name)
            .get();
    Object v = r.getAdditionalProperties().get("spec");
    for (String p : path) {
      v = ((Map<?, ?>) v).get(p);
    }
    return String.valueOf(v);
  }

  @Test
  @Timeout(300)
  void discoverListsUnmanagedObjectsAndTheGeneratedFleetAdoptsExactlyThose() throws Exception {
    fleet = DemoFleet.start(DemoOptions.defaults().withClusters(3), dir, this::say);
    fleet.applyBaseline();
    assertThat(new DemoRun(fleet, l -> {}, true).follow("shop-1-3-0", RUN).phase())
        .as(String.join("\n", log))
        .isEqualTo(RunPhase.Succeeded);
    List<String> clusters = fleet.clusterNames();
    String drifted = clusters.getLast();
    for (String c : clusters) {
      KubernetesClient k = fleet.clusterClient(c);
      create(
          k,
          ApiKind.FLUX_HELM_RELEASE,
          "shop",
          "cart",
          Map.of(
              "interval",
              "10m",
              "chart",
              Map.of(
                  "spec",
                  Map.of(
                      "chart",
                      "cart",
                      "version",
                      c.equals(drifted) ? "2.0.9" : "2.1.0",
                      "sourceRef",
                      Map.of("kind", "HelmRepository", "name", "shop")))),
          false);
      create(
          k,
          ApiKind.ARGOCD_APPLICATION,
          "argocd",
          "payments",
          Map.of(
              "project",
              "default",
              "source",
              Map.of(
                  "repoURL",
                  "https://git.example/shop/payments.git",
                  "path",
                  "deploy",
                  "targetRevision",
                  "v3.0.0"),
              "destination",
              Map.of("server", "https://kubernetes.default.svc", "namespace", "shop")),
          true);
    }

    // 1. discover lists them per cluster, with versions and the drift
    await()
        .atMost(RUN)
        .untilAsserted(
            () -> {
              CliRun r = kapro("discover");
              assertThat(r.exit()).as(r.toString()).isZero();
              assertThat(r.out())
                  .as(r.toString())
                  .containsPattern("cart +HelmRelease +shop/cart +3 +2\\.0\\.9 on " + drifted)
                  .contains("2.1.0 on " + String.join(",", clusters.subList(0, 2)))
                  .containsPattern("payments +Application +argocd/payments +3 +v3\\.0\\.0 on ")
                  .contains("owned by ApplicationSet payments-set")
                  .containsPattern("web +HelmRelease +shop/web +3 +1\\.3\\.0 on .* +managed");
            });
    CliRun table = kapro("discover");
    assertThat(table.out().lines().filter(l -> l.startsWith("cart")))
        .singleElement()
        .asString()
        .contains("DRIFT", "adoptable");

    // 2. --generate writes the Fleet with two new units, for review
    Path generated = dir.resolve("fleet.yaml");
    CliRun gen = kapro("discover", "--generate", "--fleet", "shop", "--file", generated.toString());
    assertThat(gen.exit()).as(gen.toString()).isZero();
    assertThat(gen.err()).contains("2 unit(s) added to Fleet shop for review: payments, cart");
    String yaml = Files.readString(generated);
    assertThat(yaml)
        .contains("# owned by ApplicationSet payments-set: it re-applies its own value")
        .contains("(DRIFT between clusters)");
    Fleet proposed = fleet.client().getKubernetesSerialization().unmarshal(yaml, Fleet.class);
    assertThat(proposed.getSpec().getUnits())
        .extracting(FleetUnit::getName)
        .containsExactly("web", "api", "payments", "cart");
    assertThat(fleet.client().resources(Fleet.class).withName("shop").get().getSpec().getUnits())
        .as("nothing changes until the operator applies it")
        .hasSize(2);

    // 3. applied, a promotion moves exactly those objects
    fleet
        .client()
        .resources(Fleet.class)
        .withName("shop")
        .edit(
            f -> {
              f.getSpec().setUnits(proposed.getSpec().getUnits());
              return f;
            });
    Promotion p = new Promotion();
    p.getMetadata().setName("adopt-cart-payments");
    PromotionSpec spec = new PromotionSpec();
    spec.setFleet("shop");
    spec.setPlan(DemoFleet.BASELINE_PLAN);
    spec.setUnits(List.of(unit("cart", "2.2.0"), unit("payments", "v3.1.0")));
    p.setSpec(spec);
    fleet.client().resources(Promotion.class).resource(p).create();
    assertThat(new DemoRun(fleet, l -> {}, true).follow("adopt-cart-payments", RUN).phase())
        .as(String.join("\n", log))
        .isEqualTo(RunPhase.Succeeded);
    for (String c : clusters) {
      assertThat(version(c, ApiKind.FLUX_HELM_RELEASE, "shop", "cart", "chart", "spec", "version"))
          .isEqualTo("2.2.0");
      assertThat(
              version(
                  c, ApiKind.ARGOCD_APPLICATION, "argocd", "payments", "source", "targetRevision"))
          .isEqualTo("v3.1.0");
      assertThat(fleet.localVersions(c))
          .as("web and api untouched")
          .isEqualTo("web=1.3.0,api=v1.3.0");
    }

    // 4. a second run shows no difference
    await()
        .atMost(RUN)
        .untilAsserted(
            () ->
                assertThat(kapro("discover").out().lines().filter(l -> l.startsWith("cart")))
                    .singleElement()
                    .asString()
                    .contains("2.2.0 on " + String.join(",", clusters))
                    .doesNotContain("DRIFT")
                    .contains("managed"));
    Path again = dir.resolve("again.yaml");
    CliRun second = kapro("discover", "--generate", "--fleet", "shop", "--file", again.toString());
    assertThat(second.err()).contains("nothing to adopt");
    Fleet same =
        fleet.client().getKubernetesSerialization().unmarshal(Files.readString(again), Fleet.class);
    assertThat(same.getSpec())
        .isEqualTo(fleet.client().resources(Fleet.class).withName("shop").get().getSpec());
  }

  private static UnitVersion unit(String name, String version) {
    UnitVersion u = new UnitVersion();
    u.setName(name);
    u.setVersion(version);
    return u;
  }
}
