package io.kapro.cli.status;

import io.kapro.cli.Ages;
import io.kapro.cli.Output;
import io.kapro.cli.status.FleetView.ClusterRow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Renders fleet views as text. */
final class StatusPrinter {
  private StatusPrinter() {}

  static String fleet(FleetView v, boolean wide, Instant now) {
    StringWriter buf = new StringWriter();
    PrintWriter out = new PrintWriter(buf);
    out.println(
        "Fleet "
            + v.fleet()
            + " (namespace "
            + v.namespace()
            + ")"
            + (v.run() == null
                ? "   no promotion yet"
                : "   run " + v.run() + " " + v.runPhase() + "   " + v.version()));
    if (v.runMessage() != null) {
      out.println("Run: " + v.runMessage());
    }
    if (!v.stages().isEmpty()) {
      out.println(
          "Stages: "
              + v.stages().stream()
                  .map(
                      s ->
                          s.name()
                              + " "
                              + s.phase()
                              + (s.currentWave() == null || "Succeeded".equals(s.phase())
                                  ? ""
                                  : " (wave " + (s.currentWave() + 1) + ")"))
                  .collect(Collectors.joining(", ")));
    }
    out.println();
    List<String> header =
        wide
            ? List.of(
                "STAGE",
                "CLUSTER",
                "VERSION",
                "PHASE",
                "SINCE",
                "CONNECTED",
                "HEALTH",
                "DESIRED",
                "SEQ ACK/PUB",
                "MESSAGE")
            : List.of("STAGE", "CLUSTER", "VERSION", "PHASE", "SINCE", "HEALTH");
    List<List<String>> rows = new ArrayList<>();
    for (ClusterRow r : v.clusters()) {
      String since = wide ? r.since() : Ages.since(r.since(), now);
      rows.add(
          wide
              ? java.util.Arrays.asList(
                  r.stage(),
                  r.cluster(),
                  r.version(),
                  r.phase(),
                  since,
                  r.connected(),
                  r.health(),
                  r.desired(),
                  r.sequence(),
                  r.message())
              : java.util.Arrays.asList(
                  r.stage(), r.cluster(), r.version(), r.phase(), since, r.health()));
    }
    Output.table(out, header, rows);
    FleetView.Totals t = v.totals();
    out.println();
    out.println(
        t.clusters()
            + " clusters: "
            + t.converged()
            + " converged, "
            + t.inFlight()
            + " in flight, "
            + t.waiting()
            + " waiting, "
            + t.failed()
            + " failed, "
            + t.notInRun()
            + " not in the run");
    // what the run did not do, and why (unreachable: Skip, a failed stage, an abort)
    for (ClusterRow r : v.clusters()) {
      if ("Skipped".equals(r.phase()) || "Cancelled".equals(r.phase())) {
        out.println(
            r.phase().toLowerCase(java.util.Locale.ROOT)
                + ": "
                + r.cluster()
                + (r.stage() == null ? "" : " (stage " + r.stage() + ")")
                + (r.message() == null || r.message().isEmpty() ? "" : ": " + r.message()));
      }
    }
    out.flush();
    return buf.toString();
  }

  static String fleets(List<FleetSummary> fleets) {
    StringWriter buf = new StringWriter();
    PrintWriter out = new PrintWriter(buf);
    List<List<String>> rows = new ArrayList<>();
    for (FleetSummary f : fleets) {
      rows.add(
          java.util.Arrays.asList(
              f.fleet(),
              Integer.toString(f.clusters()),
              f.run(),
              f.phase(),
              f.version(),
              f.converged() + "/" + f.clusters(),
              Integer.toString(f.failed())));
    }
    Output.table(
        out, List.of("FLEET", "CLUSTERS", "RUN", "PHASE", "VERSION", "CONVERGED", "FAILED"), rows);
    return buf.toString();
  }
}
