package io.kapro.cli.status;

import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.cli.Flags;
import io.kapro.cli.Output;
import io.kapro.cli.kube.KubeOptions;
import io.kapro.cli.kube.KubeSession;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kapro status [fleet]}: per stage and cluster the proven version, phase and since when. */
@Command(
    name = "status",
    description = {
      "Show a fleet at a glance, per stage and cluster.",
      "The proven version, the phase in the newest run and since when, with totals.",
      "Without a fleet: one line per fleet."
    })
public final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;

  @Parameters(index = "0", arity = "0..1", paramLabel = "FLEET", description = "Fleet name.")
  String fleet;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "table (default), wide, json or yaml.")
  Output.Format format = Output.Format.table;

  @Option(
      names = {"-w", "--watch"},
      description = "Keep printing when something changes, until Ctrl-C or --timeout.")
  boolean watch;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "How long --watch runs (Go duration; default ${DEFAULT-VALUE}).",
      defaultValue = "1h")
  String timeout;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      description = "How often --watch polls (default ${DEFAULT-VALUE}).",
      defaultValue = "2s")
  String interval;

  @Override
  public Integer call() throws InterruptedException {
    Duration limit = Flags.duration("--timeout", timeout);
    Duration every = Flags.duration("--interval", interval);
    PrintWriter out = spec.commandLine().getOut();
    try (KubeSession session = kube.open()) {
      if (!watch) {
        out.print(render(session, data(session)));
        out.flush();
        return 0;
      }
      Instant end = Instant.now().plus(limit);
      String last = null;
      while (Instant.now().isBefore(end)) {
        Object data = data(session);
        // compare the data, not the text: ages in the table change every second
        String key = Output.json(data);
        if (!key.equals(last)) {
          if (last != null && (format == Output.Format.table || format == Output.Format.wide)) {
            out.println("--- " + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
          }
          out.print(render(session, data));
          out.flush();
          last = key;
        }
        Thread.sleep(
            Math.min(
                every.toMillis(), Math.max(1, Duration.between(Instant.now(), end).toMillis())));
      }
      return 0;
    }
  }

  /** A FleetView for one fleet, else the list of FleetSummary. */
  private Object data(KubeSession session) {
    List<Cluster> clusters = session.clusters();
    if (fleet != null) {
      return view(session, session.fleet(fleet), clusters);
    }
    return session.list(Fleet.class).stream()
        .map(f -> FleetSummary.of(view(session, f, clusters)))
        .toList();
  }

  private String render(KubeSession session, Object data) {
    if (format == Output.Format.json) {
      return Output.json(data) + "\n";
    }
    if (format == Output.Format.yaml) {
      return Output.yaml(data);
    }
    if (data instanceof FleetView v) {
      String text = StatusPrinter.fleet(v, format == Output.Format.wide, Instant.now());
      // the fleet's Sources: what is available but not yet promoted
      List<io.kapro.api.v1alpha2.Source> sources =
          session.list(io.kapro.api.v1alpha2.Source.class).stream()
              .filter(s -> s.getSpec() != null && fleet.equals(s.getSpec().getFleet()))
              .toList();
      if (!sources.isEmpty()) {
        text +=
            "\nSources:\n"
                + io.kapro.cli.sources.SourcesCommand.table(
                    sources, format == Output.Format.wide, Instant.now());
      }
      // the fleet's SourceGroups: sets promoted together
      List<io.kapro.api.v1alpha2.SourceGroup> groups =
          session.list(io.kapro.api.v1alpha2.SourceGroup.class).stream()
              .filter(g -> g.getSpec() != null && fleet.equals(g.getSpec().getFleet()))
              .toList();
      return groups.isEmpty()
          ? text
          : text
              + "\nSource groups (promoted together):\n"
              + io.kapro.cli.sources.SourceGroupsTable.groups(groups, format == Output.Format.wide);
    }
    @SuppressWarnings("unchecked")
    List<FleetSummary> all = (List<FleetSummary>) data;
    return all.isEmpty()
        ? "No fleets in namespace " + session.namespace() + ".\n"
        : StatusPrinter.fleets(all);
  }

  private static FleetView view(KubeSession session, Fleet f, List<Cluster> clusters) {
    List<PromotionRun> runs = session.runsOf(f.getMetadata().getName());
    PromotionRun run = runs.isEmpty() ? null : runs.get(0);
    return FleetViews.build(
        f, clusters, run, run == null ? List.of() : session.targetsOf(run.getMetadata().getName()));
  }
}
