package io.kapro.hub.events.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.FleetSpec;
import io.kapro.api.v1alpha2.FleetUnit;
import io.kapro.api.v1alpha2.Promotion;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A build event's edit of an existing Promotion against an API server that answers some of its
 * writes 409 (another writer won the race, as the Promotion reconciler or a Source does): the
 * change is applied again to a fresh copy, as a SourceGroup's set edit is. On the code before, the
 * first 409 escaped as an error and the build event was lost.
 */
class BuildTriggerIT {
  private static final String PROMOTIONS =
      "/apis/kapro\\.io/v1alpha2/namespaces/default/promotions/shop-web";

  private LocalKubeApi api;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    api = LocalKubeApi.start();
    client = api.client();
    Fleet f = new Fleet();
    f.getMetadata().setName("shop");
    FleetSpec spec = new FleetSpec();
    FleetUnit web = new FleetUnit();
    web.setName("web");
    spec.setUnits(List.of(web));
    f.setSpec(spec);
    client.resource(f).inNamespace("default").create();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void anEditThatMeetsAConflictIsAppliedToAFreshCopy() {
    BuildTrigger trigger = new BuildTrigger(client);
    assertThat(trigger.apply("default", event(0)).action()).isEqualTo("created");
    // half of the writes to the Promotion lose a race (a fixed seed: the run repeats)
    api.conflict(Set.of("PUT", "PATCH"), PROMOTIONS, 0.5, 42);
    for (int i = 1; i <= 10; i++) {
      assertThat(trigger.apply("default", event(i)).action()).isEqualTo("updated");
    }
    assertThat(api.conflictsAnswered()).as("the test met conflicts").isPositive();
    api.noConflicts();
    Promotion p =
        client.resources(Promotion.class).inNamespace("default").withName("shop-web").get();
    assertThat(p.getSpec().getUnits())
        .singleElement()
        .satisfies(u -> assertThat(u.getVersion()).isEqualTo("1.0.10"));
    assertThat(p.getMetadata().getAnnotations().get(BuildTrigger.EVENT_IDS).split(",")).hasSize(11);
    // the same event again is a duplicate, not a second update
    assertThat(trigger.apply("default", event(10)).action()).isEqualTo("duplicate");
  }

  private static InboundEvent event(int n) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("fleet", "shop");
    data.put("unit", "web");
    data.put("version", "1.0." + n);
    data.put("plan", "rollout");
    return new InboundEvent("build-" + n, "ci/test", BuildTrigger.TYPE, data);
  }
}
