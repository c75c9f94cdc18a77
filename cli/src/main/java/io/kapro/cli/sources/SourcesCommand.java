package io.kapro.cli.sources;

import io.kapro.api.Conditions;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.Source;
import io.kapro.api.v1alpha2.SourceStatus;
import io.kapro.cli.Ages;
import io.kapro.cli.CliException;
import io.kapro.cli.Output;
import io.kapro.cli.kube.KubeOptions;
import io.kapro.cli.kube.KubeSession;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kapro sources [NAME...] [--fleet F] [--check]}: the Sources of the namespace with what
 * each found (newest, proven, available but not yet promoted, Ready); {@code --check} asks the hub
 * to check them now (annotation {@value #CHECK_REQUESTED_AT}, the same as an inbound {@code
 * io.kapro.source.check} event).
 */
@Command(
    name = "sources",
    description = {
      "List Sources: the newest version each found, what the fleet proved, and the versions",
      "available but not yet promoted. --check asks the hub to check them now."
    })
public final class SourcesCommand implements Callable<Integer> {
  /** Same annotation the hub's SourceReconciler reads. */
  public static final String CHECK_REQUESTED_AT = "kapro.io/check-requested-at";

  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;

  @Parameters(
      arity = "0..*",
      paramLabel = "NAME",
      description = "Source names, or SourceGroup names for their members (default: all).")
  List<String> names = new ArrayList<>();

  @Option(names = "--fleet", paramLabel = "FLEET", description = "Only the Sources of this fleet.")
  String fleet;

  @Option(names = "--check", description = "Ask the hub to check the listed Sources now.")
  boolean check;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "table (default), wide, json or yaml.")
  Output.Format format = Output.Format.table;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (KubeSession session = kube.open()) {
      List<Source> sources = select(session);
      if (check) {
        String now = Instant.now().toString();
        for (Source s : sources) {
          session
              .client()
              .resources(Source.class)
              .inNamespace(session.namespace())
              .withName(s.getMetadata().getName())
              .edit(
                  cur -> {
                    Map<String, String> a =
                        new HashMap<>(
                            cur.getMetadata().getAnnotations() == null
                                ? Map.of()
                                : cur.getMetadata().getAnnotations());
                    a.put(CHECK_REQUESTED_AT, now);
                    cur.getMetadata().setAnnotations(a);
                    return cur;
                  });
        }
        out.println(
            "check requested for "
                + sources.size()
                + (sources.size() == 1 ? " source" : " sources")
                + "; the hub checks now (see READY and CHECKED)");
      }
      if (format == Output.Format.json || format == Output.Format.yaml) {
        Output.structured(out, format, sources.stream().map(SourcesCommand::row).toList());
      } else if (sources.isEmpty()) {
        out.println("No sources in namespace " + session.namespace() + ".");
      } else {
        out.print(table(sources, format == Output.Format.wide, Instant.now()));
      }
      if (format == Output.Format.table || format == Output.Format.wide) {
        printGroups(out, session);
      }
      out.flush();
      return 0;
    }
  }

  /**
   * The SourceGroups (of {@code --fleet}, or naming one of the listed Sources) and their sets,
   * newest first.
   */
  private void printGroups(PrintWriter out, KubeSession session) {
    List<io.kapro.api.v1alpha2.SourceGroup> groups =
        session.list(io.kapro.api.v1alpha2.SourceGroup.class).stream()
            .filter(g -> g.getSpec() != null)
            .filter(g -> fleet == null || fleet.equals(g.getSpec().getFleet()))
            .filter(
                g ->
                    names.isEmpty()
                        || (g.getSpec().getSources() != null
                            && g.getSpec().getSources().stream().anyMatch(names::contains)))
            .sorted(java.util.Comparator.comparing(g -> g.getMetadata().getName()))
            .toList();
    if (groups.isEmpty()) {
      return;
    }
    out.println();
    out.println("Source groups (promoted together):");
    out.print(SourceGroupsTable.groups(groups, format == Output.Format.wide));
    String sets = SourceGroupsTable.sets(groups, Instant.now());
    if (!sets.isEmpty()) {
      out.println();
      out.println("Sets (newest first):");
      out.print(sets);
    }
  }

  private List<Source> select(KubeSession session) {
    List<Source> out = new ArrayList<>();
    if (!names.isEmpty()) {
      for (String n : names) {
        // a SourceGroup's name stands for its member Sources (check a whole set at once)
        var group =
            session.find(Source.class, n) != null
                ? null
                : session.find(io.kapro.api.v1alpha2.SourceGroup.class, n);
        if (group != null && group.getSpec() != null && group.getSpec().getSources() != null) {
          for (String member : group.getSpec().getSources()) {
            if (out.stream().noneMatch(s -> s.getMetadata().getName().equals(member))) {
              out.add(session.require(Source.class, member));
            }
          }
        } else {
          out.add(session.require(Source.class, n));
        }
      }
    } else {
      out.addAll(session.list(Source.class));
    }
    if (fleet != null) {
      out.removeIf(s -> s.getSpec() == null || !fleet.equals(s.getSpec().getFleet()));
      if (out.isEmpty() && !names.isEmpty()) {
        throw new CliException(
            CliException.Reason.NOT_FOUND,
            "none of the named Sources feeds fleet " + fleet,
            "kapro sources --fleet " + fleet + " lists the ones that do");
      }
    }
    out.sort(java.util.Comparator.comparing(s -> s.getMetadata().getName()));
    return out;
  }

  /** The Sources table, also shown by {@code kapro status FLEET}. */
  public static String table(List<Source> sources, boolean wide, Instant now) {
    List<String> header =
        new ArrayList<>(
            List.of(
                "SOURCE", "FLEET", "UNIT", "LATEST", "PROVEN", "AVAILABLE", "READY", "CHECKED"));
    if (wide) {
      header.add("REPOSITORY");
      header.add("MESSAGE");
    }
    List<List<String>> rows = new ArrayList<>();
    for (Source s : sources) {
      Row r = row(s);
      List<String> cells =
          new ArrayList<>(
              List.of(
                  r.name(),
                  r.fleet(),
                  r.unit(),
                  nz(r.latest()),
                  nz(r.proven()),
                  r.available().isEmpty() ? "-" : String.join(",", r.available()),
                  nz(r.ready()),
                  r.checkedAt() == null ? "-" : Ages.since(r.checkedAt(), now) + " ago"));
      if (wide) {
        cells.add(nz(r.repository()));
        cells.add(nz(r.message()));
      }
      rows.add(cells);
    }
    java.io.StringWriter w = new java.io.StringWriter();
    PrintWriter p = new PrintWriter(w);
    Output.table(p, header, rows);
    p.flush();
    return w.toString();
  }

  /** One Source as {@code -o json} shows it. */
  public record Row(
      String name,
      String fleet,
      String unit,
      String repository,
      String latest,
      String proven,
      List<String> available,
      String promoted,
      String ready,
      String reason,
      String message,
      String checkedAt) {}

  static Row row(Source s) {
    SourceStatus st = s.getStatus() == null ? new SourceStatus() : s.getStatus();
    Condition ready = Conditions.find(st.getConditions(), "Ready").orElse(null);
    var sp = s.getSpec();
    return new Row(
        s.getMetadata().getName(),
        sp == null ? null : sp.getFleet(),
        sp == null ? null : sp.getUnit(),
        watched(sp),
        st.getLatest(),
        st.getProven(),
        st.getAvailable() == null ? List.of() : st.getAvailable(),
        st.getPromoted(),
        ready == null ? null : ready.getStatus().name(),
        ready == null ? null : ready.getReason(),
        ready == null ? null : ready.getMessage(),
        st.getLastCheckedAt());
  }

  /** What the Source watches: registry/repository, a Helm repository and chart, a Git remote. */
  private static String watched(io.kapro.api.v1alpha2.SourceSpec sp) {
    if (sp == null) {
      return null;
    }
    if (sp.getOci() != null) {
      return sp.getOci().getUrl() + "/" + sp.getOci().getRepository();
    }
    if (sp.getHelm() != null) {
      return sp.getHelm().getUrl() + " chart " + sp.getHelm().getChart();
    }
    if (sp.getGit() != null) {
      return sp.getGit().getUrl()
          + (sp.getGit().getBranch() == null ? " tags" : " branch " + sp.getGit().getBranch());
    }
    return null;
  }

  private static String nz(String s) {
    return s == null ? "-" : s;
  }
}
