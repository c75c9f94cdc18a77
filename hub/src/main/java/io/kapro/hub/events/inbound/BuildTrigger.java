package io.kapro.hub.events.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionSpec;
import io.kapro.api.v1alpha2.UnitVersion;
import io.kapro.hub.events.inbound.InboundException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The trigger rule for {@value #TYPE} with data {@code {fleet, unit, version, plan?}}: the
 * Promotion {@code <fleet>-<unit>} gets unit {@code unit} at {@code version} — created (then {@code
 * plan} is required) or updated (other units kept; {@code plan} replaced when given). Hashes of the
 * ids of the last {@value #REMEMBERED} events applied are kept in annotation {@value #EVENT_IDS},
 * so a replayed or retried event changes nothing.
 */
public final class BuildTrigger {
  public static final String TYPE = "io.kapro.build.completed";
  public static final String EVENT_IDS = Kapro.PREFIX + "trigger-event-ids";
  static final int REMEMBERED = 32;
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+:@/-]{0,127}");

  /** What the trigger did. */
  public record Outcome(String promotion, String action) {}

  private final KubernetesClient client;

  public BuildTrigger(KubernetesClient client) {
    this.client = client;
  }

  public Outcome apply(String namespace, InboundEvent event) {
    if (!TYPE.equals(event.type())) {
      throw new InboundException(
          Reason.UNPROCESSABLE, "type: no trigger for " + event.type() + "; accepted: " + TYPE);
    }
    JsonNode data = event.data();
    if (data == null || !data.isObject()) {
      throw new InboundException(
          Reason.MALFORMED, "data: must be a JSON object {fleet, unit, version, plan?}");
    }
    String fleetName = field(data, "fleet", NAME, true);
    String unit = field(data, "unit", NAME, true);
    String version = field(data, "version", VERSION, true);
    String plan = field(data, "plan", NAME, false);
    Fleet fleet = client.resources(Fleet.class).inNamespace(namespace).withName(fleetName).get();
    if (fleet == null) {
      throw new InboundException(
          Reason.UNPROCESSABLE,
          "data.fleet: Fleet " + fleetName + " does not exist in " + namespace);
    }
    boolean known =
        fleet.getSpec() != null
            && fleet.getSpec().getUnits() != null
            && fleet.getSpec().getUnits().stream().anyMatch(u -> unit.equals(u.getName()));
    if (!known) {
      throw new InboundException(
          Reason.UNPROCESSABLE, "data.unit: Fleet " + fleetName + " has no unit " + unit);
    }
    String name = name(fleetName, unit);
    var promotions = client.resources(Promotion.class).inNamespace(namespace);
    Promotion existing = promotions.withName(name).get();
    if (existing == null) {
      if (plan == null) {
        throw new InboundException(
            Reason.MALFORMED,
            "data.plan: required to create Promotion " + name + " (none exists yet)");
      }
      Promotion p = new Promotion();
      p.getMetadata().setName(name);
      p.getMetadata().setNamespace(namespace);
      p.getMetadata()
          .setLabels(
              Map.of(
                  Kapro.Labels.FLEET,
                  fleetName,
                  Kapro.Labels.MANAGED_BY,
                  Kapro.Labels.MANAGED_BY_VALUE));
      p.getMetadata()
          .setAnnotations(
              Map.of(
                  EVENT_IDS, io.kapro.hub.kube.ResourceNames.sha256(event.id()).substring(0, 16)));
      PromotionSpec spec = new PromotionSpec();
      spec.setFleet(fleetName);
      spec.setPlan(plan);
      spec.setUnits(List.of(unit(unit, version)));
      p.setSpec(spec);
      try {
        promotions.resource(p).create();
        return new Outcome(name, "created");
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        existing = promotions.withName(name).get(); // created concurrently: update instead
      }
    }
    String seen = io.kapro.hub.kube.ResourceNames.sha256(event.id()).substring(0, 16);
    if (ids(existing).contains(seen)) {
      return new Outcome(name, "duplicate");
    }
    String[] action = {"updated"};
    // a CI event, a Source and the Promotion reconciler write the same object: a conflict (409) is
    // answered by applying the change to a fresh copy
    io.kapro.hub.kube.SpecEdit.edit(
        promotions.withName(name),
        cur -> {
          action[0] = "updated";
          List<String> ids = new ArrayList<>(ids(cur));
          if (ids.contains(seen)) {
            action[0] = "duplicate";
            return cur;
          }
          ids.add(seen);
          if (ids.size() > REMEMBERED) {
            ids = ids.subList(ids.size() - REMEMBERED, ids.size());
          }
          Map<String, String> ann =
              new HashMap<>(
                  cur.getMetadata().getAnnotations() == null
                      ? Map.of()
                      : cur.getMetadata().getAnnotations());
          ann.put(EVENT_IDS, String.join(",", ids));
          cur.getMetadata().setAnnotations(ann);
          Map<String, UnitVersion> units = new LinkedHashMap<>();
          if (cur.getSpec().getUnits() != null) {
            cur.getSpec().getUnits().forEach(u -> units.put(u.getName(), u));
          }
          units.put(unit, unit(unit, version));
          cur.getSpec().setUnits(new ArrayList<>(units.values()));
          if (plan != null) {
            cur.getSpec().setPlan(plan);
          }
          return cur;
        });
    return new Outcome(name, action[0]);
  }

  public static String name(String fleet, String unit) {
    String n = fleet + "-" + unit;
    if (n.length() <= 63) {
      return n;
    }
    String u = unit.length() > 50 ? unit.substring(0, 50) : unit;
    return io.kapro.hub.kube.ResourceNames.sha256(n).substring(0, 12) + "-" + u;
  }

  private static List<String> ids(Promotion p) {
    var a = p.getMetadata().getAnnotations();
    String v = a == null ? null : a.get(EVENT_IDS);
    return v == null || v.isBlank() ? List.of() : Arrays.asList(v.split(","));
  }

  private static UnitVersion unit(String name, String version) {
    UnitVersion u = new UnitVersion();
    u.setName(name);
    u.setVersion(version);
    return u;
  }

  private static String field(JsonNode data, String name, Pattern pattern, boolean required) {
    JsonNode n = data.get(name);
    if (n == null || n.isNull()) {
      if (required) {
        throw new InboundException(Reason.MALFORMED, "data." + name + ": missing");
      }
      return null;
    }
    if (!n.isTextual() || !pattern.matcher(n.asText()).matches()) {
      throw new InboundException(
          Reason.MALFORMED, "data." + name + ": must be a string matching " + pattern.pattern());
    }
    return n.asText();
  }
}
