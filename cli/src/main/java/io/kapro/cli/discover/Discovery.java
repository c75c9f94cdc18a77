package io.kapro.cli.discover;

import io.kapro.api.inventory.ClusterInventory;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.FleetUnit;
import io.kapro.api.v1alpha2.UnitKind;
import io.kapro.api.v1alpha2.VersionField;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fleet-wide view of the agents' inventories: the same object (kind, namespace, name) on several
 * clusters is one application; its version per cluster, drift between clusters, whether a Fleet
 * already names it, whether a parent GitOps object owns it, and which Fleet unit field would move
 * it. Pure: reads the inventories and Fleets it is given.
 */
public final class Discovery {
  private static final Pattern KUSTOMIZE_IMAGE =
      Pattern.compile("spec\\.images\\[name=(.+)]\\.newTag");

  /** How an application can be adopted. */
  public enum State {
    /** A Fleet names it (or the agent reports Kapro patched it). */
    MANAGED,
    /** A unit can be generated for it. */
    ADOPTABLE,
    /** It has no field a Fleet unit can set. */
    NO_VERSION_FIELD
  }

  /**
   * One application across the fleet.
   *
   * @param unit the unit name a generated Fleet would give it
   * @param versions version → clusters running it (a cluster without the field shows "-")
   * @param field the unit field that sets its version, or null
   * @param parameter the image name for a Kustomization image field, else null
   * @param owners the owners reported for it (parent GitOps objects), if any
   */
  public record App(
      String unit,
      String apiVersion,
      String kind,
      String namespace,
      String name,
      Map<String, List<String>> versions,
      State state,
      VersionField field,
      String parameter,
      String source,
      Set<String> owners,
      int clusters) {
    public boolean drift() {
      return versions.size() > 1;
    }

    public String object() {
      return namespace + "/" + name;
    }
  }

  private Discovery() {}

  /** The applications of every inventory, sorted by kind, namespace and name. */
  public static List<App> apps(List<ClusterInventory> inventories, List<Fleet> fleets) {
    Set<String> named = new HashSet<>();
    for (Fleet f : fleets) {
      if (f.getSpec() == null || f.getSpec().getUnits() == null) {
        continue;
      }
      for (FleetUnit u : f.getSpec().getUnits()) {
        if (u.getKind() != null && u.getObjectRef() != null) {
          named.add(
              u.getKind().name()
                  + " "
                  + u.getObjectRef().getNamespace()
                  + "/"
                  + u.getObjectRef().getName());
        }
      }
    }
    Map<String, List<Map.Entry<String, ClusterInventory.Item>>> byKey = new TreeMap<>();
    for (ClusterInventory inv : inventories) {
      for (ClusterInventory.Item item : inv.objects()) {
        byKey
            .computeIfAbsent(item.key(), k -> new ArrayList<>())
            .add(Map.entry(inv.cluster(), item));
      }
    }
    Map<String, Integer> names = new TreeMap<>();
    byKey.values().forEach(l -> names.merge(l.getFirst().getValue().name(), 1, Integer::sum));
    List<App> apps = new ArrayList<>();
    for (var entries : byKey.values()) {
      ClusterInventory.Item first = entries.getFirst().getValue();
      Map<String, List<String>> versions = new TreeMap<>();
      boolean managed = named.contains(first.key());
      Set<String> owners = new java.util.TreeSet<>();
      String path = primaryPath(first);
      for (var e : entries) {
        ClusterInventory.Item i = e.getValue();
        managed |= i.managed();
        if (i.owner() != null) {
          owners.add(i.owner());
        }
        String v = path == null ? null : i.fields().get(path);
        versions.computeIfAbsent(v == null ? "-" : v, k -> new ArrayList<>()).add(e.getKey());
      }
      VersionField field = path == null ? null : field(first.kind(), path);
      String parameter = null;
      if (field == VersionField.image) {
        Matcher m = KUSTOMIZE_IMAGE.matcher(path);
        parameter = m.matches() ? m.group(1) : null;
      }
      State state =
          managed ? State.MANAGED : field == null ? State.NO_VERSION_FIELD : State.ADOPTABLE;
      String unit =
          names.get(first.name()) > 1
              ? first.name() + "-" + first.kind().toLowerCase(java.util.Locale.ROOT)
              : first.name();
      apps.add(
          new App(
              unit,
              first.apiVersion(),
              first.kind(),
              first.namespace(),
              first.name(),
              versions,
              state,
              field,
              parameter,
              first.source(),
              owners,
              entries.size()));
    }
    return apps;
  }

  /** The field that carries the object's version: the first one the agent reported. */
  private static String primaryPath(ClusterInventory.Item item) {
    return item.fields().isEmpty() ? null : item.fields().keySet().iterator().next();
  }

  /** The Fleet unit field for a reported path, or null when no unit field sets it. */
  static VersionField field(String kind, String path) {
    UnitKind k;
    try {
      k = UnitKind.valueOf(kind);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (k == UnitKind.Kustomization && KUSTOMIZE_IMAGE.matcher(path).matches()) {
      return VersionField.image;
    }
    for (VersionField f : VersionField.values()) {
      if (f.kind() == k && f.sets().equals(path)) {
        return f;
      }
    }
    return null;
  }

  /** Rows of the discover table. */
  static List<List<String>> rows(List<App> apps) {
    List<List<String>> rows = new ArrayList<>();
    for (App a : apps) {
      List<String> versions = new ArrayList<>();
      a.versions().forEach((v, cs) -> versions.add(v + " on " + String.join(",", cs)));
      String status =
          switch (a.state()) {
            case MANAGED -> "managed";
            case ADOPTABLE -> "adoptable";
            case NO_VERSION_FIELD -> "no version field";
          };
      if (!a.owners().isEmpty()) {
        status += ", owned by " + String.join(" and ", a.owners());
      }
      rows.add(
          List.of(
              a.unit(),
              a.kind(),
              a.object(),
              Integer.toString(a.clusters()),
              String.join("; ", versions),
              a.drift() ? "DRIFT" : "",
              status));
    }
    return rows;
  }

  /** Just the applications that a generated Fleet would add. */
  static List<App> adoptable(List<App> apps) {
    return apps.stream().filter(a -> a.state() == State.ADOPTABLE).toList();
  }

  /** The unit a generated Fleet adds for an application. */
  static FleetUnit unit(App a) {
    FleetUnit u = new FleetUnit();
    u.setName(a.unit());
    u.setBackend(UnitKind.valueOf(a.kind()).backend());
    u.setKind(UnitKind.valueOf(a.kind()));
    io.kapro.api.v1alpha2.ObjectRef ref = new io.kapro.api.v1alpha2.ObjectRef();
    ref.setNamespace(a.namespace());
    ref.setName(a.name());
    u.setObjectRef(ref);
    u.setField(a.field());
    if (a.parameter() != null) {
      u.setImage(a.parameter());
    }
    return u;
  }

  /** Comment lines a reviewer reads above a generated unit. */
  static List<String> notes(App a, int fleetClusters) {
    List<String> notes = new ArrayList<>();
    Map<String, List<String>> v = new LinkedHashMap<>(a.versions());
    notes.add(
        "discovered on "
            + a.clusters()
            + " cluster(s): "
            + String.join(
                "; ",
                v.entrySet().stream()
                    .map(e -> e.getKey() + " on " + String.join(",", e.getValue()))
                    .toList())
            + (a.drift() ? " (DRIFT between clusters)" : ""));
    if (fleetClusters > 0 && a.clusters() < fleetClusters) {
      notes.add(
          "only on "
              + a.clusters()
              + " of "
              + fleetClusters
              + " clusters: a promotion fails on clusters without it; narrow the clusters or"
              + " create it there first");
    }
    for (String owner : a.owners()) {
      notes.add(
          "owned by "
              + owner
              + ": it re-applies its own value on the next sync; hand the version field to Kapro"
              + " first (docs/adoption.md#objects-owned-by-a-parent)");
    }
    return notes;
  }
}
