package io.kapro.e2e.demo;

import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.TargetStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The live fleet table: one row per cluster of the run (cluster, stage, phase, version, since) and
 * a head line with the run's phase. Rendered as plain text; the demo prints it whenever it changes.
 *
 * @param run the run's name
 * @param runPhase the run's phase
 * @param rows one per Target, canary first
 */
public record FleetTable(String run, String runPhase, List<Row> rows) {
  /** The most a phase cell adds after the phase, so that a row fits 120 columns. */
  static final int REASON_WIDTH = 36;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  /**
   * One cluster.
   *
   * @param cluster the Cluster's name
   * @param stage the Target's stage
   * @param phase the Target's phase (and a short reason when it is not Converged)
   * @param version the versions the Cluster has proven by evidence
   * @param since when the Target's phase last changed (UTC)
   */
  public record Row(String cluster, String stage, String phase, String version, String since) {}

  static FleetTable of(PromotionRun run, List<Target> targets, List<Cluster> clusters) {
    Map<String, Cluster> byName =
        clusters.stream().collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
    List<Row> rows = new ArrayList<>();
    for (Target t : targets) {
      var s = t.getStatus();
      String phase = s == null || s.getPhase() == null ? "-" : s.getPhase().name();
      String reason = s == null || s.getPhase() == TargetPhase.Converged ? null : shortReason(s);
      if (reason != null) {
        phase += " (" + reason + ")";
      }
      Cluster c = byName.get(t.getSpec().getCluster());
      String version =
          c == null || c.getStatus() == null || c.getStatus().getVersionSummary() == null
              ? "-"
              : c.getStatus().getVersionSummary();
      String since = s == null || s.getSince() == null ? "-" : clock(s.getSince());
      rows.add(new Row(t.getSpec().getCluster(), t.getSpec().getStage(), phase, version, since));
    }
    rows.sort(
        Comparator.comparing((Row r) -> r.stage().equals("canary") ? 0 : 1)
            .thenComparing(Row::stage)
            .thenComparing(Row::cluster));
    String runPhase =
        run.getStatus() == null || run.getStatus().getPhase() == null
            ? "Pending"
            : run.getStatus().getPhase().name();
    return new FleetTable(run.getMetadata().getName(), runPhase, rows);
  }

  private static String clock(String rfc3339) {
    try {
      return TIME.format(Instant.parse(rfc3339));
    } catch (RuntimeException e) {
      return rfc3339;
    }
  }

  /**
   * What holds the Target up, in a few words: the reason of a condition that is not True (such as
   * {@code BundleRejected}), else the start of the message. The whole message stays on the Target
   * ({@code kubectl get targets -o wide}, {@code kapro why}).
   */
  static String shortReason(TargetStatus s) {
    if (s.getConditions() != null) {
      for (Condition c : s.getConditions()) {
        if (c.getStatus() != ConditionStatus.True
            && c.getReason() != null
            && !c.getReason().isBlank()) {
          return c.getReason();
        }
      }
    }
    return s.getMessage() == null || s.getMessage().isBlank()
        ? null
        : abbreviate(s.getMessage(), REASON_WIDTH);
  }

  private static String abbreviate(String s, int max) {
    String one = s.replace('\n', ' ');
    return one.length() <= max ? one : one.substring(0, max - 1) + "…";
  }

  String render() {
    List<String> head = List.of("CLUSTER", "STAGE", "PHASE", "VERSION", "SINCE");
    List<Function<Row, String>> cols =
        List.of(Row::cluster, Row::stage, Row::phase, Row::version, Row::since);
    int[] width = new int[head.size()];
    for (int i = 0; i < head.size(); i++) {
      width[i] = head.get(i).length();
      for (Row r : rows) {
        width[i] = Math.max(width[i], cols.get(i).apply(r).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append("run ").append(run).append(": ").append(runPhase).append('\n');
    line(sb, head, width);
    for (Row r : rows) {
      line(sb, cols.stream().map(c -> c.apply(r)).toList(), width);
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells, int[] width) {
    StringBuilder l = new StringBuilder("  ");
    for (int i = 0; i < cells.size(); i++) {
      l.append(String.format("%-" + width[i] + "s", cells.get(i)));
      if (i + 1 < cells.size()) {
        l.append("  ");
      }
    }
    sb.append(l.toString().stripTrailing()).append('\n');
  }
}
