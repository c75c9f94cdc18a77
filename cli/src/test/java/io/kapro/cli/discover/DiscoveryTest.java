package io.kapro.cli.discover;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.inventory.ClusterInventory;
import io.kapro.api.inventory.ClusterInventory.Item;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.FleetSpec;
import io.kapro.api.v1alpha2.FleetUnit;
import io.kapro.api.v1alpha2.ObjectRef;
import io.kapro.api.v1alpha2.UnitKind;
import io.kapro.api.v1alpha2.VersionField;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Grouping inventories into applications, drift, states and the generated units. */
class DiscoveryTest {
  static Item hr(String name, String version, String owner) {
    return new Item(
        "helm.toolkit.fluxcd.io/v2",
        "HelmRelease",
        "shop",
        name,
        Map.of("spec.chart.spec.version", version),
        "chart " + name,
        owner,
        false);
  }

  static Fleet fleetNaming(String kind, String ns, String name) {
    FleetUnit u = new FleetUnit();
    u.setName(name);
    u.setKind(UnitKind.valueOf(kind));
    ObjectRef ref = new ObjectRef();
    ref.setNamespace(ns);
    ref.setName(name);
    u.setObjectRef(ref);
    Fleet f = new Fleet();
    f.getMetadata().setName("shop");
    FleetSpec s = new FleetSpec();
    s.setUnits(List.of(u));
    f.setSpec(s);
    return f;
  }

  @Test
  void theSameObjectOnSeveralClustersIsOneApplicationWithItsDrift() {
    List<Discovery.App> apps =
        Discovery.apps(
            List.of(
                new ClusterInventory(
                    "a",
                    null,
                    "d1",
                    false,
                    List.of(hr("cart", "2.1.0", null), hr("web", "1.0.0", null))),
                new ClusterInventory(
                    "b",
                    null,
                    "d2",
                    false,
                    List.of(hr("cart", "2.0.9", null), hr("web", "1.0.0", null)))),
            List.of(fleetNaming("HelmRelease", "shop", "web")));
    assertThat(apps).extracting(Discovery.App::unit).containsExactly("cart", "web");
    Discovery.App cart = apps.getFirst();
    assertThat(cart.versions()).isEqualTo(Map.of("2.0.9", List.of("b"), "2.1.0", List.of("a")));
    assertThat(cart.drift()).isTrue();
    assertThat(cart.state()).isEqualTo(Discovery.State.ADOPTABLE);
    assertThat(cart.field()).isEqualTo(VersionField.chartVersion);
    assertThat(apps.get(1).state()).isEqualTo(Discovery.State.MANAGED);
    assertThat(Discovery.adoptable(apps)).extracting(Discovery.App::unit).containsExactly("cart");
    assertThat(Discovery.rows(apps).getFirst())
        .containsExactly(
            "cart",
            "HelmRelease",
            "shop/cart",
            "2",
            "2.0.9 on b; 2.1.0 on a",
            "DRIFT",
            "adoptable");
  }

  @Test
  void ownedObjectsAreMarkedAndObjectsWithoutAVersionFieldAreNotAdoptable() {
    Item kustomization =
        new Item(
            "kustomize.toolkit.fluxcd.io/v1",
            "Kustomization",
            "flux-system",
            "apps",
            Map.of(),
            "GitRepository flux-system/fleet",
            null,
            false);
    Item image =
        new Item(
            "kustomize.toolkit.fluxcd.io/v1",
            "Kustomization",
            "shop",
            "front",
            Map.of("spec.images[name=ghcr.io/shop/front].newTag", "1.2.3"),
            null,
            "Kustomization flux-system/apps",
            false);
    List<Discovery.App> apps =
        Discovery.apps(
            List.of(new ClusterInventory("a", null, "d", false, List.of(kustomization, image))),
            List.of());
    assertThat(apps.getFirst().state()).isEqualTo(Discovery.State.NO_VERSION_FIELD);
    Discovery.App front = apps.get(1);
    assertThat(front.field()).isEqualTo(VersionField.image);
    assertThat(front.parameter()).isEqualTo("ghcr.io/shop/front");
    assertThat(Discovery.unit(front).getImage()).isEqualTo("ghcr.io/shop/front");
    assertThat(Discovery.notes(front, 3))
        .anySatisfy(n -> assertThat(n).startsWith("only on 1 of 3 clusters"))
        .anySatisfy(
            n ->
                assertThat(n)
                    .startsWith("owned by Kustomization flux-system/apps: it re-applies")
                    .endsWith("(docs/adoption.md#objects-owned-by-a-parent)"));
  }
}
