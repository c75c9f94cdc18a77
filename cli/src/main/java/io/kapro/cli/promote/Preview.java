package io.kapro.cli.promote;

import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.hub.engine.ClusterState;
import io.kapro.hub.engine.DesiredVersion;
import io.kapro.hub.engine.RunPreview;
import io.kapro.hub.run.RunInputs;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints {@link RunPreview}: the hub's engine run against the fleet's Clusters as they are now,
 * every gate passing and every reachable cluster converging at once.
 */
final class Preview {
  private Preview() {}

  static void print(PrintWriter out, Promotion p, Plan plan, Fleet fleet, List<Cluster> all) {
    List<ClusterState> clusters =
        all.stream().filter(fleet::selects).map(RunInputs::cluster).toList();
    List<DesiredVersion> units =
        p.getSpec().getUnits().stream()
            .map(u -> new DesiredVersion(u.getName(), u.getVersion()))
            .toList();
    RunPreview.Plan preview = RunPreview.of(plan.getSpec(), clusters, units, Instant.now());
    out.println(
        "dry run, nothing created: promote "
            + units.stream().map(u -> u.name() + "=" + u.version()).collect(Collectors.joining(","))
            + " through fleet "
            + p.getSpec().getFleet()
            + " ("
            + clusters.size()
            + " clusters), plan "
            + plan.getMetadata().getName());
    for (String problem : preview.problems()) {
      out.println("  problem: " + problem);
    }
    for (RunPreview.Stage s : preview.stages()) {
      out.println(
          "stage "
              + s.name()
              + (s.dependsOn().isEmpty() ? "" : " (after " + String.join(", ", s.dependsOn()) + ")")
              + ": unreachable "
              + s.unreachable()
              + ", maxWait "
              + io.kapro.api.Durations.format(s.maxWait())
              + ", maxUnavailable "
              + s.maxUnavailable());
      if (s.waves().isEmpty()) {
        out.println("  no wave (no cluster matched, or the run stops before this stage)");
      }
      for (RunPreview.Wave w : s.waves()) {
        out.println(
            "  wave "
                + w.wave()
                + ": "
                + w.clusters().size()
                + " cluster(s), gates: "
                + (w.gates().isEmpty() ? "none" : String.join(", ", w.gates())));
        for (RunPreview.ClusterStep c : w.clusters()) {
          out.println("    " + c.cluster() + "  " + versions(c) + "  " + action(c));
        }
      }
    }
    out.println(
        "the run would end "
            + preview.outcome()
            + " if every gate passed and every reachable cluster converged");
    out.flush();
  }

  private static String versions(RunPreview.ClusterStep c) {
    return c.to().entrySet().stream()
        .map(
            e ->
                e.getKey()
                    + " "
                    + (c.from().get(e.getKey()) == null ? "none" : c.from().get(e.getKey()))
                    + " -> "
                    + e.getValue())
        .collect(Collectors.joining(", "));
  }

  private static String action(RunPreview.ClusterStep c) {
    return switch (c.action()) {
      case Publish -> "publish";
      case WaitFor -> "publish, wait for it up to maxWait (" + c.why() + ")";
      case Skip -> "skip: " + c.why();
      case Fail -> "fail: " + c.why();
    };
  }
}
