package io.kapro.cli.status;

import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.ProvenVersion;
import io.kapro.api.v1alpha2.Stage;
import io.kapro.api.v1alpha2.StageStatus;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.UnitVersion;
import io.kapro.cli.status.FleetView.ClusterRow;
import io.kapro.cli.status.FleetView.StageRow;
import io.kapro.cli.status.FleetView.Totals;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Builds a {@link FleetView} from objects already read (pure: no API calls). */
public final class FleetViews {
  private FleetViews() {}

  /**
   * @param fleet the fleet
   * @param clusters every Cluster in the namespace (filtered here by the fleet's selector)
   * @param run the fleet's newest run, or null
   * @param targets the run's Targets
   */
  public static FleetView build(
      Fleet fleet, List<Cluster> clusters, PromotionRun run, List<Target> targets) {
    List<Cluster> members = clusters.stream().filter(fleet::selects).toList();
    Map<String, Target> byCluster = new HashMap<>();
    for (Target t : targets) {
      if (t.getSpec() != null && t.getSpec().getCluster() != null) {
        byCluster.merge(t.getSpec().getCluster(), t, FleetViews::later);
      }
    }
    List<Stage> planStages =
        run == null || run.getSpec() == null || run.getSpec().getPlanSnapshot() == null
            ? List.of()
            : Objects.requireNonNullElse(run.getSpec().getPlanSnapshot().getStages(), List.of());
    List<String> stageOrder = planStages.stream().map(Stage::getName).toList();

    List<ClusterRow> rows = new ArrayList<>();
    int converged = 0;
    int inFlight = 0;
    int waiting = 0;
    int failed = 0;
    int notInRun = 0;
    for (Cluster c : members) {
      Target t = byCluster.get(c.getMetadata().getName());
      TargetPhase phase = t == null || t.getStatus() == null ? null : t.getStatus().getPhase();
      if (t == null) {
        notInRun++;
      } else if (phase == TargetPhase.Converged) {
        converged++;
      } else if (phase == TargetPhase.Failed || phase == TargetPhase.Degraded) {
        failed++;
      } else if (phase == TargetPhase.Waiting) {
        waiting++;
      } else if (phase != TargetPhase.Skipped && phase != TargetPhase.Superseded) {
        inFlight++;
      }
      rows.add(row(c, t, phase, planStages));
    }
    rows.sort(
        Comparator.comparing((ClusterRow r) -> stageIndex(stageOrder, r.stage()))
            .thenComparing(ClusterRow::cluster));
    List<StageRow> stages = new ArrayList<>();
    Map<String, StageStatus> stageStatus = new HashMap<>();
    if (run != null && run.getStatus() != null && run.getStatus().getStages() != null) {
      run.getStatus().getStages().forEach(s -> stageStatus.put(s.getName(), s));
    }
    for (String name : stageOrder) {
      StageStatus s = stageStatus.get(name);
      stages.add(
          new StageRow(
              name,
              s == null || s.getPhase() == null ? "Pending" : s.getPhase().name(),
              s == null ? null : s.getCurrentWave(),
              s == null ? null : s.getMessage()));
    }
    return new FleetView(
        fleet.getMetadata().getName(),
        fleet.getMetadata().getNamespace(),
        run == null ? null : run.getMetadata().getName(),
        run == null || run.getStatus() == null || run.getStatus().getPhase() == null
            ? (run == null ? null : "Pending")
            : run.getStatus().getPhase().name(),
        runMessage(run),
        run == null || run.getSpec() == null ? null : units(run.getSpec().getUnits()),
        stages,
        rows,
        new Totals(members.size(), converged, inFlight, waiting, failed, notInRun));
  }

  /**
   * The run's Ready message past {@code run <Phase>: } (what the hub says it waits for, or why it
   * ended), or null when it says no more than the phase.
   */
  private static String runMessage(PromotionRun run) {
    if (run == null || run.getStatus() == null || run.getStatus().getPhase() == null) {
      return null;
    }
    String prefix = "run " + run.getStatus().getPhase().name() + ": ";
    return Conditions.find(run.getStatus().getConditions(), Kapro.ConditionTypes.READY)
        .map(c -> c.getMessage())
        .filter(m -> m != null && m.startsWith(prefix))
        .map(m -> m.substring(prefix.length()))
        .orElse(null);
  }

  private static ClusterRow row(Cluster c, Target t, TargetPhase phase, List<Stage> stages) {
    var status = c.getStatus();
    Map<String, ProvenVersion> versions =
        status == null || status.getVersions() == null ? Map.of() : status.getVersions();
    String proven =
        new TreeMap<>(versions)
            .entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().getVersion())
                .collect(Collectors.joining(","));
    if (proven.isEmpty() && status != null) {
      proven = status.getVersionSummary();
    }
    String stage = t != null && t.getSpec() != null ? t.getSpec().getStage() : stageOf(c, stages);
    String since =
        t != null && t.getStatus() != null && t.getStatus().getSince() != null
            ? t.getStatus().getSince()
            : versions.values().stream()
                .map(ProvenVersion::getSince)
                .filter(Objects::nonNull)
                .max(Comparator.naturalOrder())
                .orElse(null);
    String connected =
        status == null
            ? null
            : Conditions.find(status.getConditions(), Kapro.ConditionTypes.CONNECTED)
                .map(x -> x.getStatus() == null ? null : x.getStatus().name())
                .orElse(null);
    String sequence = null;
    if (status != null && status.getSequence() != null) {
      sequence =
          Objects.toString(status.getSequence().getAcknowledged(), "0")
              + "/"
              + Objects.toString(status.getSequence().getPublished(), "0");
    }
    return new ClusterRow(
        stage,
        c.getMetadata().getName(),
        proven,
        phase == null ? null : phase.name(),
        since,
        connected,
        t == null || t.getSpec() == null ? null : units(t.getSpec().getUnits()),
        t == null || t.getStatus() == null ? null : t.getStatus().getMessage(),
        sequence,
        health(status == null ? null : status.getConditions()));
  }

  /**
   * {@code Degraded:<reason>} and/or {@code Drifted:<reason>} for the conditions that are True;
   * null when neither is.
   */
  public static String health(List<io.kapro.api.v1alpha2.Condition> conditions) {
    List<String> out = new ArrayList<>();
    for (String type : List.of(Kapro.ConditionTypes.DEGRADED, Kapro.ConditionTypes.DRIFTED)) {
      Conditions.find(conditions, type)
          .filter(c -> c.getStatus() != null && c.getStatus().name().equals("True"))
          .ifPresent(c -> out.add(type + ":" + c.getReason()));
    }
    return out.isEmpty() ? null : String.join(",", out);
  }

  private static String stageOf(Cluster c, List<Stage> stages) {
    for (Stage s : stages) {
      if (s.getSelector() != null && s.getSelector().matches(c.getMetadata().getLabels())) {
        return s.getName();
      }
    }
    return null;
  }

  private static int stageIndex(List<String> order, String stage) {
    int i = stage == null ? -1 : order.indexOf(stage);
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  /** {@code web=1.2.3,api=v2} */
  public static String units(List<UnitVersion> units) {
    if (units == null) {
      return null;
    }
    return units.stream()
        .map(u -> u.getName() + "=" + u.getVersion())
        .collect(Collectors.joining(","));
  }

  private static Target later(Target a, Target b) {
    // a cluster has one Target per run; keep the later one if a test or a bug made two
    return a.getMetadata().getName().compareTo(b.getMetadata().getName()) >= 0 ? a : b;
  }
}
