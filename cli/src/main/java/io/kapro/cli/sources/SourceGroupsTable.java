package io.kapro.cli.sources;

import io.kapro.api.Conditions;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.DiscoveredSet;
import io.kapro.api.v1alpha2.SourceGroup;
import io.kapro.api.v1alpha2.SourceGroupStatus;
import io.kapro.cli.Ages;
import io.kapro.cli.Output;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SourceGroups of a namespace as {@code kapro sources} and {@code kapro status FLEET} show
 * them: one row per group (newest set, what the fleet proved, sets available, the set promoted),
 * then the sets each recorded, newest first, with their members' versions.
 */
public final class SourceGroupsTable {
  private SourceGroupsTable() {}

  /** One row per group. */
  public static String groups(List<SourceGroup> groups, boolean wide) {
    List<String> header =
        new ArrayList<>(
            List.of(
                "GROUP", "FLEET", "SOURCES", "LATEST", "PROVEN", "AVAILABLE", "PROMOTED", "READY"));
    if (wide) {
      header.add("MESSAGE");
    }
    List<List<String>> rows = new ArrayList<>();
    for (SourceGroup g : groups) {
      SourceGroupStatus st = g.getStatus() == null ? new SourceGroupStatus() : g.getStatus();
      Condition ready = Conditions.find(st.getConditions(), "Ready").orElse(null);
      List<String> cells =
          new ArrayList<>(
              List.of(
                  g.getMetadata().getName(),
                  g.getSpec() == null ? "-" : nz(g.getSpec().getFleet()),
                  g.getSpec() == null || g.getSpec().getSources() == null
                      ? "-"
                      : String.join(",", g.getSpec().getSources()),
                  nz(st.getLatest()),
                  nz(st.getProven()),
                  st.getAvailable() == null || st.getAvailable().isEmpty()
                      ? "-"
                      : String.join(",", st.getAvailable()),
                  nz(st.getPromoted()),
                  ready == null
                      ? "-"
                      : ready.getStatus().name()
                          + (ready.getStatus().name().equals("True")
                              ? ""
                              : " (" + ready.getReason() + ")")));
      if (wide) {
        cells.add(ready == null ? "-" : nz(ready.getMessage()));
      }
      rows.add(cells);
    }
    return render(header, rows);
  }

  /** The sets every group recorded, newest first: available, promoted, or neither. */
  public static String sets(List<SourceGroup> groups, Instant now) {
    List<List<String>> rows = new ArrayList<>();
    for (SourceGroup g : groups) {
      SourceGroupStatus st = g.getStatus();
      if (st == null || st.getSets() == null) {
        continue;
      }
      for (DiscoveredSet s : st.getSets()) {
        String state =
            s.getName().equals(st.getPromoted())
                ? "promoted"
                : st.getAvailable() != null && st.getAvailable().contains(s.getName())
                    ? "available"
                    : "-";
        rows.add(
            List.of(
                s.getName(),
                g.getMetadata().getName(),
                s.getMembers() == null
                    ? "-"
                    : s.getMembers().stream()
                        .map(m -> m.getUnit() + "=" + m.getVersion())
                        .collect(Collectors.joining(" ")),
                state,
                s.getDiscoveredAt() == null ? "-" : ago(s.getDiscoveredAt(), now)));
      }
    }
    return rows.isEmpty()
        ? ""
        : render(List.of("SET", "GROUP", "VERSIONS", "STATE", "DISCOVERED"), rows);
  }

  private static String ago(String time, Instant now) {
    return Ages.since(time, now) + " ago";
  }

  private static String render(List<String> header, List<List<String>> rows) {
    StringWriter w = new StringWriter();
    PrintWriter p = new PrintWriter(w);
    Output.table(p, header, rows);
    p.flush();
    return w.toString();
  }

  private static String nz(String s) {
    return s == null ? "-" : s;
  }
}
