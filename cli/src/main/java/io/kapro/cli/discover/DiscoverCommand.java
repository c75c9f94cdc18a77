package io.kapro.cli.discover;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.kapro.api.inventory.ClusterInventory;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.FleetSpec;
import io.kapro.api.v1alpha2.FleetUnit;
import io.kapro.cli.CliException;
import io.kapro.cli.Output;
import io.kapro.cli.kube.KubeOptions;
import io.kapro.cli.kube.KubeSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kapro discover}: what runs where, from the agents' inventories; {@code --generate} writes
 * a Fleet for review that adds a unit for each application no Fleet names yet.
 */
@Command(
    name = "discover",
    description = {
      "Show the Flux and Argo CD objects the agents see, fleet-wide: unit, kind, object,",
      "clusters, versions (DRIFT when clusters differ) and whether a Fleet manages it.",
      "--generate writes a Fleet with a unit for each adoptable object, for review:",
      "nothing is managed until you apply it."
    })
public final class DiscoverCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;

  @Option(
      names = "--generate",
      description = "Write a Fleet (YAML) that adds the adoptable objects as units.")
  boolean generate;

  @Option(
      names = "--fleet",
      paramLabel = "FLEET",
      description =
          "With --generate: the Fleet to extend (its registry, signing and clusters are kept);"
              + " default: the only Fleet of the namespace.")
  String fleet;

  @Option(
      names = "--file",
      paramLabel = "PATH",
      description = "With --generate: write the Fleet to PATH instead of standard output.")
  Path file;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "table (default), json or yaml.")
  Output.Format format = Output.Format.table;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (KubeSession session = kube.open()) {
      List<ClusterInventory> inventories = inventories(session);
      List<Fleet> fleets = session.list(Fleet.class);
      List<Discovery.App> apps = Discovery.apps(inventories, fleets);
      if (!generate) {
        if (format == Output.Format.json || format == Output.Format.yaml) {
          Output.structured(out, format, apps);
        } else if (apps.isEmpty()) {
          out.println(
              "No inventory in namespace "
                  + session.namespace()
                  + " yet: agents report theirs after they connect (ConfigMaps labelled "
                  + ClusterInventory.LABEL
                  + "=true).");
        } else {
          Output.table(
              out,
              List.of("UNIT", "KIND", "OBJECT", "CLUSTERS", "VERSIONS", "DRIFT", "STATUS"),
              Discovery.rows(apps));
        }
        out.flush();
        return 0;
      }
      Fleet base = base(session, fleets);
      int clusters = fleetClusters(session, base);
      List<Discovery.App> adopt = Discovery.adoptable(apps);
      String yaml = Generated.fleet(base, adopt, clusters);
      if (file != null) {
        Files.writeString(file, yaml);
      } else {
        out.print(yaml);
        out.flush();
      }
      err.println(
          adopt.isEmpty()
              ? "nothing to adopt: every object with a version field is already in a Fleet"
              : adopt.size()
                  + " unit(s) added to Fleet "
                  + base.getMetadata().getName()
                  + " for review: "
                  + String.join(", ", adopt.stream().map(Discovery.App::unit).toList()));
      err.flush();
      return 0;
    }
  }

  private Fleet base(KubeSession session, List<Fleet> fleets) {
    if (fleet != null) {
      return session.fleet(fleet);
    }
    if (fleets.size() == 1) {
      return fleets.getFirst();
    }
    throw new CliException(
        CliException.Reason.USAGE,
        fleets.isEmpty()
            ? "no Fleet in namespace "
                + session.namespace()
                + " to extend: create one (registry, signing, clusters) first, then --generate"
            : "several Fleets in namespace "
                + session.namespace()
                + ": name the one to extend with --fleet",
        null);
  }

  /** How many clusters the Fleet's selector picks (0 when it cannot tell). */
  private static int fleetClusters(KubeSession session, Fleet f) {
    FleetSpec s = f.getSpec();
    if (s == null
        || s.getClusterSelector() == null
        || s.getClusterSelector().getMatchLabels() == null) {
      return 0;
    }
    Map<String, String> want = s.getClusterSelector().getMatchLabels();
    return (int)
        session.list(Cluster.class).stream()
            .filter(
                c ->
                    c.getMetadata().getLabels() != null
                        && c.getMetadata().getLabels().entrySet().containsAll(want.entrySet()))
            .count();
  }

  private static List<ClusterInventory> inventories(KubeSession session) {
    List<ClusterInventory> out = new ArrayList<>();
    List<ConfigMap> maps =
        session
            .client()
            .configMaps()
            .inNamespace(session.namespace())
            .withLabel(ClusterInventory.LABEL, "true")
            .list()
            .getItems();
    for (ConfigMap cm : maps) {
      String data = cm.getData() == null ? null : cm.getData().get(ClusterInventory.DATA_KEY);
      if (data == null) {
        throw new CliException(
            CliException.Reason.FAILED,
            "ConfigMap "
                + cm.getMetadata().getName()
                + " has no "
                + ClusterInventory.DATA_KEY
                + "; delete it, the hub writes it again on the agent's next report",
            null);
      }
      try {
        out.add(JSON.readValue(data, ClusterInventory.class));
      } catch (IOException e) {
        throw new CliException(
            CliException.Reason.FAILED,
            "ConfigMap "
                + cm.getMetadata().getName()
                + " key "
                + ClusterInventory.DATA_KEY
                + " is not an inventory ("
                + e.getMessage()
                + "); delete it, the hub writes it again on the agent's next report",
            null);
      }
    }
    out.sort(Comparator.comparing(ClusterInventory::cluster));
    return out;
  }

  /** The Fleet with the new units, as reviewable YAML. */
  static final class Generated {
    private Generated() {}

    static String fleet(Fleet base, List<Discovery.App> adopt, int fleetClusters) {
      Fleet f = new Fleet();
      f.setApiVersion(base.getApiVersion());
      f.setKind(base.getKind());
      f.getMetadata().setName(base.getMetadata().getName());
      FleetSpec spec = JSON.convertValue(JSON.valueToTree(base.getSpec()), FleetSpec.class);
      List<FleetUnit> units =
          spec.getUnits() == null ? new ArrayList<>() : new ArrayList<>(spec.getUnits());
      for (Discovery.App a : adopt) {
        units.add(Discovery.unit(a));
      }
      spec.setUnits(units);
      f.setSpec(spec);
      String yaml = Output.yaml(f);
      StringBuilder sb = new StringBuilder();
      sb.append("# Generated by kapro discover --generate for review: ")
          .append(adopt.size())
          .append(" unit(s) added. Nothing is managed until you apply it.\n");
      for (String line : yaml.split("\n", -1)) {
        for (Discovery.App a : adopt) {
          if (line.matches("\\s*- name: \"?" + java.util.regex.Pattern.quote(a.unit()) + "\"?")) {
            String indent = line.substring(0, line.indexOf('-'));
            for (String note : Discovery.notes(a, fleetClusters)) {
              sb.append(indent).append("# ").append(note).append('\n');
            }
          }
        }
        sb.append(line).append('\n');
      }
      return sb.toString().stripTrailing() + "\n";
    }
  }
}
