package io.kapro.api.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kapro.api.v1alpha2.Approval;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The local API server's indexes answer like fabric8's full scan: get by namespace / name, list by
 * namespace and by label (equality, inequality, existence), status patches, relabelling, deletes,
 * 409 on a duplicate create; and the index stays equal to the store. Also the request counts by
 * verb and resource.
 */
class IndexedLocalKubeApiIT {

  private static Cluster cluster(String ns, String name, Map<String, String> labels) {
    Cluster c = new Cluster();
    c.getMetadata().setNamespace(ns);
    c.getMetadata().setName(name);
    c.getMetadata().setLabels(labels);
    return c;
  }

  @Test
  void indexedLookupsAnswerLikeTheStore() {
    try (LocalKubeApi api = LocalKubeApi.start()) {
      KubernetesClient k = api.client();
      for (String ns : new String[] {"a", "b"}) {
        for (int i = 0; i < 5; i++) {
          k.resource(cluster(ns, "c" + i, Map.of("stage", i < 2 ? "prod" : "dev", "n", "" + i)))
              .create();
        }
      }
      k.resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withNamespace("a")
                  .withName("c1")
                  .withLabels(Map.of("stage", "prod"))
                  .endMetadata()
                  .build())
          .create();

      assertThat(k.resources(Cluster.class).inNamespace("a").withName("c3").get()).isNotNull();
      assertThat(k.resources(Cluster.class).inNamespace("a").withName("zz").get()).isNull();
      assertThat(k.resources(Cluster.class).inNamespace("b").list().getItems()).hasSize(5);
      assertThat(k.resources(Cluster.class).inAnyNamespace().list().getItems()).hasSize(10);
      assertThat(
              k.resources(Cluster.class)
                  .inNamespace("a")
                  .withLabel("stage", "prod")
                  .list()
                  .getItems())
          .extracting(c -> c.getMetadata().getName())
          .containsExactlyInAnyOrder("c0", "c1");
      assertThat(
              k.resources(Cluster.class)
                  .inAnyNamespace()
                  .withLabel("stage", "prod")
                  .list()
                  .getItems())
          .hasSize(4);
      assertThat(
              k.resources(Cluster.class)
                  .inNamespace("a")
                  .withLabel("stage", "prod")
                  .withLabel("n", "1")
                  .list()
                  .getItems())
          .hasSize(1);
      assertThat(
              k.resources(Cluster.class)
                  .inNamespace("a")
                  .withoutLabel("stage", "prod")
                  .list()
                  .getItems())
          .hasSize(3);
      assertThat(k.resources(Cluster.class).inNamespace("a").withLabel("n").list().getItems())
          .hasSize(5);
      assertThat(k.resources(Cluster.class).inNamespace("a").withLabel("stage", "x").list())
          .satisfies(l -> assertThat(l.getItems()).isEmpty());
      assertThat(k.configMaps().inNamespace("a").withLabel("stage", "prod").list().getItems())
          .extracting(ConfigMap::getKind)
          .containsExactly("ConfigMap");

      // a status patch, then a relabel: the label index follows
      Cluster c = k.resources(Cluster.class).inNamespace("a").withName("c0").get();
      ClusterStatus s = new ClusterStatus();
      s.setLastSeen("2026-12-07T08:00:00Z");
      c.setStatus(s);
      k.resource(c).updateStatus();
      assertThat(
              k.resources(Cluster.class)
                  .inNamespace("a")
                  .withName("c0")
                  .get()
                  .getStatus()
                  .getLastSeen())
          .isEqualTo("2026-12-07T08:00:00Z");
      k.resources(Cluster.class)
          .inNamespace("a")
          .withName("c0")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"metadata\":{\"labels\":{\"stage\":\"dev\"}}}");
      assertThat(
              k.resources(Cluster.class)
                  .inNamespace("a")
                  .withLabel("stage", "prod")
                  .list()
                  .getItems())
          .extracting(x -> x.getMetadata().getName())
          .containsExactly("c1");

      assertThatThrownBy(() -> k.resource(cluster("a", "c1", Map.of())).create())
          .isInstanceOf(KubernetesClientException.class)
          .extracting(e -> ((KubernetesClientException) e).getCode())
          .isEqualTo(409);
      k.resources(Cluster.class).inNamespace("a").withName("c1").delete();
      assertThat(k.resources(Cluster.class).inNamespace("a").withName("c1").get()).isNull();
      assertThat(k.resources(Cluster.class).inNamespace("a").list().getItems()).hasSize(4);
      assertThat(api.indexMatchesStore()).isTrue();
    }
  }

  @Test
  void countsRequestsByVerbAndResource() {
    try (LocalKubeApi api = LocalKubeApi.start()) {
      KubernetesClient k = api.client();
      Map<String, Long> before = api.requests().snapshot();
      k.resource(cluster("default", "c", Map.of())).create();
      k.resources(Cluster.class).inNamespace("default").withName("c").get();
      k.resources(Cluster.class).inNamespace("default").list();
      k.resources(Approval.class).inNamespace("default").withName("none").get();
      Map<String, Long> delta = ApiRequestCounts.delta(before, api.requests().snapshot());
      assertThat(delta)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "create clusters", 1L,
                  "get clusters", 1L,
                  "list clusters", 1L,
                  "get approvals", 1L));
      // fabric8 reads the object before patching it by name; patching an object in hand does not
      Cluster held = k.resources(Cluster.class).inNamespace("default").withName("c").get();
      before = api.requests().snapshot();
      k.resources(Cluster.class)
          .inNamespace("default")
          .withName("c")
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"lastSeen\":\"x\"}}");
      assertThat(ApiRequestCounts.delta(before, api.requests().snapshot()))
          .isEqualTo(Map.of("get clusters", 1L, "patch clusters/status", 1L));
      before = api.requests().snapshot();
      k.resource(held)
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"lastSeen\":\"y\"}}");
      assertThat(ApiRequestCounts.delta(before, api.requests().snapshot()))
          .isEqualTo(Map.of("patch clusters/status", 1L));
      assertThat(ApiRequestCounts.writes(delta)).isEqualTo(1);
      assertThat(ApiRequestCounts.total(delta)).isEqualTo(4);
    }
  }

  @Test
  void keysFollowKubeApiserverVerbs() {
    assertThat(ApiRequestCounts.key("GET", "/api/v1/namespaces/x/secrets/s", ""))
        .isEqualTo("get secrets");
    assertThat(ApiRequestCounts.key("GET", "/api/v1/namespaces/x/secrets", "labelSelector=a"))
        .isEqualTo("list secrets");
    assertThat(ApiRequestCounts.key("GET", "/apis/kapro.io/v1alpha2/targets", "watch=true"))
        .isEqualTo("watch targets");
    assertThat(
            ApiRequestCounts.key("PUT", "/apis/coordination.k8s.io/v1/namespaces/x/leases/l", ""))
        .isEqualTo("update leases");
    assertThat(ApiRequestCounts.key("GET", "/apis/kapro.io/v1alpha2", ""))
        .isEqualTo("get (discovery)");
    assertThat(ApiRequestCounts.key("GET", "/api/v1/namespaces/x", "")).isEqualTo("get namespaces");
  }
}
