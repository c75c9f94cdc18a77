package io.kapro.hub.source;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.DiscoveredSet;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionSpec;
import io.kapro.api.v1alpha2.SetMember;
import io.kapro.api.v1alpha2.SourceGroup;
import io.kapro.api.v1alpha2.UnitVersion;
import io.kapro.hub.events.inbound.BuildTrigger;
import io.kapro.hub.source.SourceSets.VersionOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a SourceGroup's set reaches the fleet: the floors it must not go below, and Promotion {@code
 * <fleet>-<group>} carrying every member's version in one write.
 */
final class SetPromotion {
  /** The label a group's Promotion carries (and is recognised by). */
  static final String GROUP_LABEL = Kapro.PREFIX + "source-group";

  private SetPromotion() {}

  /**
   * Per unit of the set: the newest of what the plan's first stage proved and what the fleet's
   * Promotions carry; a set must not go below it.
   */
  static Map<String, String> floors(
      KubernetesClient client,
      Fleet fleet,
      Plan plan,
      DiscoveredSet set,
      Map<String, VersionOrder> orders) {
    Map<String, String> out = new HashMap<>();
    for (SetMember m : set.getMembers()) {
      List<String> known = new ArrayList<>();
      known.addAll(SourceReconciler.provenVersions(client, fleet, plan, m.getUnit()));
      known.addAll(SourceReconciler.promotedElsewhere(client, fleet, m.getUnit()));
      VersionOrder order = orders.get(m.getUnit());
      String best = null;
      for (String v : known) {
        if (best == null || order.newer(v, best).orElse(false)) {
          best = v;
        }
      }
      if (best != null) {
        out.put(m.getUnit(), best);
      }
    }
    return out;
  }

  /**
   * Promotion {@code <fleet>-<group>} with exactly the set's versions, in one create or one edit
   * (so one run moves every member together).
   */
  static String promote(KubernetesClient client, SourceGroup group, String plan, DiscoveredSet s) {
    String ns = group.getMetadata().getNamespace();
    String fleet = group.getSpec().getFleet();
    String groupName = group.getMetadata().getName();
    String name = BuildTrigger.name(fleet, groupName);
    List<UnitVersion> units = new ArrayList<>();
    for (SetMember m : s.getMembers()) {
      UnitVersion u = new UnitVersion();
      u.setName(m.getUnit());
      u.setVersion(m.getVersion());
      units.add(u);
    }
    var promotions = client.resources(Promotion.class).inNamespace(ns);
    Promotion existing = promotions.withName(name).get();
    if (existing == null) {
      Promotion p = new Promotion();
      p.getMetadata().setName(name);
      p.getMetadata().setNamespace(ns);
      p.getMetadata()
          .setLabels(
              Map.of(
                  Kapro.Labels.FLEET,
                  fleet,
                  GROUP_LABEL,
                  groupName,
                  Kapro.Labels.MANAGED_BY,
                  Kapro.Labels.MANAGED_BY_VALUE));
      PromotionSpec spec = new PromotionSpec();
      spec.setFleet(fleet);
      spec.setPlan(plan);
      spec.setUnits(units);
      p.setSpec(spec);
      promotions.resource(p).create();
      return "created";
    }
    var labels = existing.getMetadata().getLabels();
    if (labels == null || !groupName.equals(labels.get(GROUP_LABEL))) {
      throw new SourceException(
          "Promotion "
              + name
              + " exists and was not made by this SourceGroup (no label "
              + GROUP_LABEL
              + "="
              + groupName
              + "); delete it or rename the group");
    }
    if (existing.getSpec() != null
        && units.equals(existing.getSpec().getUnits())
        && plan.equals(existing.getSpec().getPlan())) {
      return "unchanged";
    }
    // the Promotion reconciler writes the same object (labels, status): a conflict (409) is
    // answered by applying the change to a fresh copy
    io.kapro.hub.kube.SpecEdit.edit(
        promotions.withName(name),
        cur -> {
          cur.getSpec().setUnits(units);
          cur.getSpec().setPlan(plan);
          return cur;
        });
    return "updated";
  }
}
