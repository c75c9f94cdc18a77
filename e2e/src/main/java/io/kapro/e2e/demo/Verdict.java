package io.kapro.e2e.demo;

import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.OnFailure;
import io.kapro.api.v1alpha2.ProvenVersion;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether the run ended as the options say it should: without {@code --fail}, Succeeded with every
 * Target Converged and every Cluster proven on the new versions; with {@code --fail} and Halt,
 * Halted; with Rollback, RolledBack with every Cluster of the failed stage (and of later stages)
 * proven and set on the old versions again, as {@code onFailure: Rollback} returns the stage.
 *
 * @param ok whether it did
 * @param problems what differs, one line each
 */
record Verdict(boolean ok, List<String> problems) {

  static Verdict of(DemoOptions options, DemoFleet fleet, DemoRun.Result result) {
    List<String> problems = new ArrayList<>();
    List<Target> targets = result.run() == null ? List.of() : fleet.targets(result.run());
    if (options.fail().isEmpty()) {
      expect(problems, result.phase(), RunPhase.Succeeded);
      for (Target t : targets) {
        TargetPhase p = t.getStatus() == null ? null : t.getStatus().getPhase();
        if (p != TargetPhase.Converged) {
          problems.add(
              "Target "
                  + t.getMetadata().getName()
                  + " is "
                  + p
                  + (t.getStatus() != null && t.getStatus().getMessage() != null
                      ? ": " + t.getStatus().getMessage()
                      : ""));
        }
      }
      for (String c : fleet.clusterNames()) {
        proven(problems, fleet, c, DemoFleet.NEW_WEB, DemoFleet.NEW_API);
      }
    } else if (options.onFailure() == OnFailure.Rollback) {
      // Rollback returns the failed stage; an earlier stage keeps the new version
      expect(problems, result.phase(), RunPhase.RolledBack);
      boolean canaryFailed = stage(options.fail().get()).equals("canary");
      for (String c : fleet.clusterNames()) {
        boolean back = canaryFailed || stage(c).equals("prod");
        proven(
            problems,
            fleet,
            c,
            back ? DemoFleet.OLD_WEB : DemoFleet.NEW_WEB,
            back ? DemoFleet.OLD_API : DemoFleet.NEW_API);
      }
    } else {
      expect(problems, result.phase(), RunPhase.Halted);
    }
    return new Verdict(problems.isEmpty(), problems);
  }

  private static void expect(List<String> problems, RunPhase actual, RunPhase expected) {
    if (actual != expected) {
      problems.add("the run ended " + actual + ", expected " + expected);
    }
  }

  static String stage(String cluster) {
    return cluster.startsWith("canary") ? "canary" : "prod";
  }

  private static void proven(
      List<String> problems, DemoFleet fleet, String name, String web, String api) {
    String want = "web=" + web + ",api=" + api;
    Cluster c = fleet.cluster(name);
    Map<String, ProvenVersion> v = c.getStatus() == null ? null : c.getStatus().getVersions();
    String proven =
        v == null ? "nothing" : "web=" + version(v.get("web")) + ",api=" + version(v.get("api"));
    if (!proven.equals(want)) {
      problems.add("Cluster " + name + " has proven " + proven + ", expected " + want);
    }
    String local = fleet.localVersions(name);
    if (!local.equals(want)) {
      problems.add("cluster " + name + " runs " + local + ", expected " + want);
    }
  }

  private static String version(ProvenVersion v) {
    return v == null ? "-" : v.getVersion();
  }
}
