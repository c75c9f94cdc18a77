package io.kapro.hub.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.kapro.agent.v1.Inventory;
import io.kapro.agent.v1.InventoryField;
import io.kapro.agent.v1.InventoryObject;
import io.kapro.api.inventory.ClusterInventory;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.hub.ca.ClusterId;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The inventory ConfigMap: readable as a ClusterInventory, labelled for {@code kubectl get -l}, and
 * written only when the agent's digest changes (the API budget of discovery).
 */
class KubeInventoryStoreIT {
  static Inventory inventory(String version) {
    InventoryObject cart =
        InventoryObject.newBuilder()
            .setApiVersion("helm.toolkit.fluxcd.io/v2")
            .setKind("HelmRelease")
            .setObjectNamespace("shop")
            .setName("cart")
            .addFields(
                InventoryField.newBuilder().setPath("spec.chart.spec.version").setValue(version))
            .setSource("chart cart from HelmRepository shop/shop")
            .build();
    return Inventory.newBuilder().addObjects(cart).setDigest("sha256:" + version).build();
  }

  @Test
  void writesOnlyWhenTheDigestChanges() throws Exception {
    try (LocalKubeApi api = LocalKubeApi.start();
        KubeInventoryStore store = new KubeInventoryStore(api.client())) {
      ClusterId cluster = new ClusterId("shop", "prod-eu-1");
      var cms = api.client().configMaps().inNamespace("shop");
      // a cluster without a Cluster object: nothing is stored (an inventory belongs to its Cluster)
      store.record(new ClusterId("shop", "ghost"), inventory("2.0.0"));
      Cluster c = new Cluster();
      c.getMetadata().setName("prod-eu-1");
      c = api.client().resource(c).inNamespace("shop").create();
      store.record(cluster, inventory("2.1.0"));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> cms.withName("kapro-inventory-prod-eu-1").get() != null);
      ConfigMap first = cms.withName("kapro-inventory-prod-eu-1").get();
      assertThat(first.getMetadata().getOwnerReferences())
          .as("deleted with its Cluster")
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.getKind()).isEqualTo("Cluster");
                assertThat(o.getName()).isEqualTo("prod-eu-1");
              });
      assertThat(first.getMetadata().getOwnerReferences().getFirst().getUid())
          .isEqualTo(c.getMetadata().getUid());
      assertThat(first.getMetadata().getLabels())
          .containsEntry(ClusterInventory.LABEL, "true")
          .containsEntry("kapro.io/cluster", "prod-eu-1");
      ClusterInventory read =
          new ObjectMapper()
              .readValue(first.getData().get(ClusterInventory.DATA_KEY), ClusterInventory.class);
      assertThat(read.cluster()).isEqualTo("prod-eu-1");
      assertThat(read.objects())
          .singleElement()
          .satisfies(
              i -> {
                assertThat(i.key()).isEqualTo("HelmRelease shop/cart");
                assertThat(i.fields()).containsEntry("spec.chart.spec.version", "2.1.0");
              });

      // the same report again (a reconnect): no write
      store.record(cluster, inventory("2.1.0"));
      store.record(cluster, inventory("2.2.0"));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  cms.withName("kapro-inventory-prod-eu-1")
                      .get()
                      .getMetadata()
                      .getAnnotations()
                      .get(ClusterInventory.DIGEST_ANNOTATION)
                      .equals("sha256:2.2.0"));
      String rv =
          cms.withName("kapro-inventory-prod-eu-1").get().getMetadata().getResourceVersion();
      assertThat(Long.parseLong(rv) - Long.parseLong(first.getMetadata().getResourceVersion()))
          .as("one write for the change, none for the repeat")
          .isEqualTo(1);
      store.record(cluster, inventory("2.2.0"));
      assertThat(cms.withName("kapro-inventory-prod-eu-1").get().getMetadata().getResourceVersion())
          .isEqualTo(rv);
      // one writer thread, in order: the ghost's report was handled before prod-eu-1's
      assertThat(cms.withName("kapro-inventory-ghost").get()).isNull();
    }
  }
}
