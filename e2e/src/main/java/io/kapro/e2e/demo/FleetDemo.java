package io.kapro.e2e.demo;

import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.Target;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The local fleet demo ({@code ./scripts/demo}): a hub, a registry (or an OCI layout) and N
 * simulated clusters with real agents in this process; applies {@code examples/quickstart} and
 * walks its Promotion through canary, approval and the prod waves. Exit code 0 when the run ends as
 * the options say (see {@link Verdict}), 1 when it does not, 2 on bad arguments.
 */
public final class FleetDemo {
  /** How long the fleet part may take before the demo gives up. */
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

  private FleetDemo() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("kapro-demo");
    // before the first logger: warnings on stderr, the whole log in the working directory
    System.setProperty("logback.configurationFile", "kapro-demo-logback.xml");
    System.setProperty("kapro.demo.log", dir.resolve("kapro-demo.log").toString());
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(args.length > 0 && (args[0].equals("--help") || args[0].equals("-h")) ? 0 : 2);
      return;
    }
    System.exit(run(options, dir, System.out));
  }

  /** Runs the demo; returns the exit code. */
  static int run(DemoOptions options, Path dir, PrintStream out) throws InterruptedException {
    Instant start = Instant.now();
    say(
        out,
        "kapro demo: "
            + options.clusters()
            + " clusters, working directory "
            + dir
            + " (log: kapro-demo.log there)");
    DemoFleet fleet = DemoFleet.start(options, dir, line -> say(out, line));
    try {
      say(out, "started in " + seconds(Duration.between(start, Instant.now())));
      say(out, "");
      say(out, "baseline: promotion shop-1-3-0 (plan all-at-once) makes every agent prove 1.3.0");
      fleet.applyBaseline();
      DemoRun.Result baseline =
          new DemoRun(fleet, line -> {}, true).follow(DemoFleet.BASELINE_PROMOTION, RUN_TIMEOUT);
      say(out, "baseline: " + baseline.phase() + " in " + seconds(baseline.elapsed()));
      if (baseline.phase() != RunPhase.Succeeded) {
        say(out, baseline.table() == null ? "(no run)" : baseline.table().render());
        if (options.untrustedKey().isEmpty()) {
          say(out, "kapro demo: FAILED: the baseline did not succeed");
          return 1;
        }
      }
      say(out, "");
      say(
          out,
          "applying examples/quickstart's Promotion "
              + DemoFleet.PROMOTION
              + " (web 1.4.0, api v1.4.0)");
      say(out, "watch the same Targets from the hub API with:");
      say(out, "  " + kubectl(fleet));
      fleet.applyPromotion();
      DemoRun.Result result =
          new DemoRun(fleet, line -> say(out, line), true).follow(DemoFleet.PROMOTION, RUN_TIMEOUT);
      summary(out, fleet, result);
      Verdict verdict = Verdict.of(options, fleet, result);
      say(
          out,
          verdict.ok()
              ? "kapro demo: OK ("
                  + expectation(options)
                  + "), fleet part "
                  + seconds(result.elapsed())
              : "kapro demo: FAILED ("
                  + expectation(options)
                  + "):\n  - "
                  + String.join("\n  - ", verdict.problems()));
      if (options.keep()) {
        keep(out, fleet);
      }
      return verdict.ok() ? 0 : 1;
    } finally {
      fleet.close();
    }
  }

  static String kubectl(DemoFleet fleet) {
    return "kubectl --kubeconfig "
        + fleet.kubeconfig()
        + " get targets -l kapro.io/promotion="
        + DemoFleet.PROMOTION;
  }

  private static String expectation(DemoOptions o) {
    if (o.fail().isEmpty()) {
      return "every cluster Converged on web 1.4.0, api v1.4.0";
    }
    return switch (o.onFailure()) {
      case Rollback ->
          "rolled back: every cluster of the failed stage on web 1.3.0, api v1.3.0 again";
      default -> "halted as the Plan says";
    };
  }

  private static void summary(PrintStream out, DemoFleet fleet, DemoRun.Result r) {
    say(out, "");
    say(out, "summary of run " + r.run() + ": " + r.phase() + " after " + seconds(r.elapsed()));
    for (Map.Entry<String, Duration> e : r.stageTimes().entrySet()) {
      say(out, "  stage " + e.getKey() + ": " + seconds(e.getValue()));
    }
    say(out, "  per cluster: proven versions, bundle sequence acknowledged, evidence received");
    for (String name : fleet.clusterNames()) {
      Cluster c = fleet.cluster(name);
      var s = c.getStatus();
      say(
          out,
          String.format(
              "    %-12s %-24s seq %-3s evidence %s",
              c.getMetadata().getName(),
              s == null || s.getVersionSummary() == null ? "-" : s.getVersionSummary(),
              s == null || s.getSequence() == null ? "-" : s.getSequence().getAcknowledged(),
              s == null || s.getLastEvidenceNumber() == null ? 0 : s.getLastEvidenceNumber()));
    }
    if (r.run() != null) {
      for (Target t : fleet.targets(r.run())) {
        if (t.getStatus() != null
            && t.getStatus().getMessage() != null
            && !t.getStatus().getMessage().isBlank()) {
          say(out, "  " + t.getSpec().getCluster() + ": " + t.getStatus().getMessage());
        }
      }
    }
  }

  private static void keep(PrintStream out, DemoFleet fleet) throws InterruptedException {
    say(out, "");
    say(out, "--keep: staying up until Ctrl-C; try");
    say(out, "  " + kubectl(fleet));
    say(
        out,
        "  kubectl --kubeconfig " + fleet.kubeconfig() + " get promotions,promotionruns,clusters");
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.countDown();
                  fleet.close();
                }));
    stop.await();
  }

  static String seconds(Duration d) {
    return String.format("%.1f s", d.toMillis() / 1000.0);
  }

  private static void say(PrintStream out, String line) {
    out.println(line);
    out.flush();
  }
}
