package io.kapro.cli.control;

import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.UnitVersion;
import io.kapro.cli.CliException;
import io.kapro.cli.ExitCodes;
import io.kapro.cli.kube.KubeOptions;
import io.kapro.cli.kube.KubeSession;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kapro rollback PROMOTION [--skip-gates] [--wait]}: a new run of the Promotion back to the
 * fleet's last proven version of each unit, through the same engine and gates.
 */
@Command(
    name = "rollback",
    description = {
      "Roll a fleet back to its last proven version: a new run of the Promotion (new bundle",
      "sequences, marked as rollbacks) through the same engine and gates (--skip-gates: none).",
      "The version per unit comes from the fleet's Clusters (status.versions and",
      "status.previousVersions); they must agree. With --wait, exits 0 when the rollback run",
      "succeeds, 1 when it fails, 5 on --timeout."
    })
public final class RollbackCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;
  @Mixin ControlOptions control;

  @Option(names = "--skip-gates", description = "Run the rollback without the Plan's gates.")
  boolean skipGates;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    try (KubeSession session = kube.open()) {
      Control.Resolved r = Control.resolve(session, control.target);
      var p = r.promotion();
      if (p.getSpec() == null || p.getSpec().getUnits() == null) {
        throw CliException.usage(
            "promotion " + p.getMetadata().getName() + " names no units", "fix its spec.units");
      }
      Fleet fleet = session.fleet(p.getSpec().getFleet());
      List<Cluster> clusters = session.clusters().stream().filter(fleet::selects).toList();
      List<UnitVersion> back = new ArrayList<>();
      for (UnitVersion u : p.getSpec().getUnits()) {
        back.add(lastProven(u, clusters));
      }
      String before = r.runName();
      Control.edit(
          session,
          p,
          s -> {
            s.setUnits(back);
            s.setRollback(true);
            s.setSkipGates(skipGates ? true : null);
            s.setPaused(null);
            s.setAbort(null);
          });
      String name = p.getMetadata().getName();
      out.println(
          "promotion.kapro.io/"
              + name
              + " rolling back to "
              + back.stream().map(u -> u.getName() + "=" + u.getVersion()).toList()
              + (skipGates ? " without gates" : "")
              + (before == null ? "" : " (supersedes run " + before + ")"));
      out.flush();
      if (!control.wait) {
        return ExitCodes.OK;
      }
      return Control.await(
          session, out, name, before, control, Control.reaches(RunPhase.Succeeded));
    }
  }

  /**
   * The version {@code u} returns to: on each cluster that runs the promoted version, the version
   * before it ({@code status.previousVersions}); on a cluster the promotion never reached, the
   * version it runs. All clusters must agree, or nothing is changed.
   */
  static UnitVersion lastProven(UnitVersion u, List<Cluster> clusters) {
    Map<String, TreeSet<String>> byVersion = new TreeMap<>();
    for (Cluster c : clusters) {
      var st = c.getStatus();
      if (st == null) {
        continue;
      }
      var proven = st.getVersions() == null ? null : st.getVersions().get(u.getName());
      String current = proven == null ? null : proven.getVersion();
      String previous =
          st.getPreviousVersions() == null ? null : st.getPreviousVersions().get(u.getName());
      String to = current != null && !current.equals(u.getVersion()) ? current : previous;
      if (to != null && !to.equals(u.getVersion())) {
        byVersion.computeIfAbsent(to, k -> new TreeSet<>()).add(c.getMetadata().getName());
      }
    }
    if (byVersion.isEmpty()) {
      throw CliException.notFound(
          "no cluster of the fleet has a proven version of unit "
              + u.getName()
              + " before "
              + u.getVersion(),
          "promote the version to return to explicitly: kapro promote <fleet> --unit "
              + u.getName()
              + " --version <version>");
    }
    if (byVersion.size() > 1) {
      throw CliException.usage(
          "the fleet's clusters disagree on the last proven version of unit "
              + u.getName()
              + ": "
              + byVersion,
          "promote the version to return to explicitly: kapro promote <fleet> --unit "
              + u.getName()
              + " --version <version>");
    }
    UnitVersion v = new UnitVersion();
    v.setName(u.getName());
    v.setVersion(byVersion.keySet().iterator().next());
    return v;
  }
}
