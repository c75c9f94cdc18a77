package io.kapro.hub.source;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.FleetSpec;
import io.kapro.api.v1alpha2.FleetUnit;
import io.kapro.api.v1alpha2.LabelSelector;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.api.v1alpha2.PlanSpec;
import io.kapro.api.v1alpha2.PromotionMode;
import io.kapro.api.v1alpha2.Source;
import io.kapro.api.v1alpha2.SourcePolicy;
import io.kapro.api.v1alpha2.SourceStatus;
import io.kapro.api.v1alpha2.Stage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The objects the Source tests share, in namespace {@code default}. */
final class SourceFixtures {
  private SourceFixtures() {}

  /**
   * Fleet {@code shop} with {@code units}, selecting clusters labelled {@code fleet=shop}; with
   * {@code autoPlan}, Sources promote automatically through that plan.
   */
  static void fleet(KubernetesClient client, String autoPlan, String... units) {
    Fleet f = new Fleet();
    f.getMetadata().setName("shop");
    FleetSpec spec = new FleetSpec();
    spec.setUnits(
        Arrays.stream(units)
            .map(
                n -> {
                  FleetUnit u = new FleetUnit();
                  u.setName(n);
                  return u;
                })
            .toList());
    LabelSelector sel = new LabelSelector();
    sel.setMatchLabels(Map.of("fleet", "shop"));
    spec.setClusterSelector(sel);
    if (autoPlan != null) {
      SourcePolicy p = new SourcePolicy();
      p.setPromotion(PromotionMode.Auto);
      p.setPlan(autoPlan);
      spec.setSources(p);
    }
    f.setSpec(spec);
    client.resource(f).inNamespace("default").create();
  }

  /** Plan {@code rollout}: stage dev (clusters {@code ring=dev}), then prod ({@code ring=prod}). */
  static void plan(KubernetesClient client) {
    Plan p = new Plan();
    p.getMetadata().setName("rollout");
    PlanSpec spec = new PlanSpec();
    spec.setStages(List.of(stage("dev"), stage("prod", "dev")));
    p.setSpec(spec);
    client.resource(p).inNamespace("default").create();
  }

  private static Stage stage(String ring, String... dependsOn) {
    Stage s = new Stage();
    s.setName(ring);
    LabelSelector sel = new LabelSelector();
    sel.setMatchLabels(Map.of("ring", ring));
    s.setSelector(sel);
    s.setDependsOn(dependsOn.length == 0 ? null : List.of(dependsOn));
    return s;
  }

  /** Source {@code name}'s status once {@code done} holds (at most a minute). */
  static SourceStatus awaitStatus(
      KubernetesClient client, String name, Predicate<SourceStatus> done) {
    SourceStatus[] out = new SourceStatus[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              Source s = client.resources(Source.class).inNamespace("default").withName(name).get();
              out[0] = s == null ? null : s.getStatus();
              return out[0] != null && done.test(out[0]);
            });
    return out[0];
  }
}
