package io.kapro.hub.it;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.FleetSpec;
import io.kapro.api.v1alpha2.LabelSelector;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.api.v1alpha2.PlanSpec;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.PromotionSpec;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.Stage;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.UnitVersion;
import java.util.List;
import java.util.Map;

/** Builds fleets, clusters, plans and promotions for the reconciler ITs. */
final class HubFixture {
  private final KubernetesClient client;

  HubFixture(KubernetesClient client) {
    this.client = client;
  }

  void fleet(String name) {
    fleet(name, false);
  }

  void fleet(String name, boolean allowPrivateWebhooks) {
    Fleet f = new Fleet();
    f.getMetadata().setName(name);
    FleetSpec spec = new FleetSpec();
    LabelSelector selector = new LabelSelector();
    selector.setMatchLabels(Map.of("fleet", name));
    spec.setClusterSelector(selector);
    var webhooks = new io.kapro.api.v1alpha2.WebhookPolicy();
    webhooks.setAllowPrivateDestinations(allowPrivateWebhooks);
    spec.setWebhooks(webhooks);
    f.setSpec(spec);
    client.resource(f).inNamespace("default").create();
  }

  void clusters(String fleet, String ring, int n) {
    for (int i = 0; i < n; i++) {
      Cluster c = new Cluster();
      c.getMetadata().setName(ring + "-" + i);
      c.getMetadata().setLabels(Map.of("fleet", fleet, "ring", ring));
      client.resource(c).inNamespace("default").create();
    }
  }

  static Stage stage(String name, List<String> waves, String... dependsOn) {
    Stage s = new Stage();
    s.setName(name);
    LabelSelector selector = new LabelSelector();
    selector.setMatchLabels(Map.of("ring", name));
    s.setSelector(selector);
    s.setWaves(waves);
    s.setDependsOn(dependsOn.length == 0 ? null : List.of(dependsOn));
    return s;
  }

  void plan(String name, Stage... stages) {
    Plan p = new Plan();
    p.getMetadata().setName(name);
    PlanSpec spec = new PlanSpec();
    spec.setStages(List.of(stages));
    p.setSpec(spec);
    client.resource(p).inNamespace("default").create();
  }

  void promotion(String name, String fleet, String plan, String version) {
    Promotion p = new Promotion();
    p.getMetadata().setName(name);
    PromotionSpec spec = new PromotionSpec();
    spec.setFleet(fleet);
    spec.setPlan(plan);
    UnitVersion u = new UnitVersion();
    u.setName("web");
    u.setVersion(version);
    spec.setUnits(List.of(u));
    p.setSpec(spec);
    client.resource(p).inNamespace("default").create();
  }

  String currentRun(String promotion) {
    Promotion p =
        client.resources(Promotion.class).inNamespace("default").withName(promotion).get();
    return p == null || p.getStatus() == null ? null : p.getStatus().getCurrentRun();
  }

  RunPhase runPhase(String run) {
    PromotionRun r =
        client.resources(PromotionRun.class).inNamespace("default").withName(run).get();
    return r == null || r.getStatus() == null ? null : r.getStatus().getPhase();
  }

  List<Target> targets(String run) {
    return client
        .resources(Target.class)
        .inNamespace("default")
        .withLabel(Kapro.Labels.PROMOTION_RUN, run)
        .list()
        .getItems();
  }
}
