package io.kapro.cli.promote;

import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.RunSummary;
import io.kapro.api.v1alpha2.Stage;
import io.kapro.api.v1alpha2.StageStatus;
import io.kapro.cli.ExitCodes;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/** What {@code promote --wait} prints about a run, and when it stops (pure). */
public final class RunProgress {
  private RunProgress() {}

  /** One progress line: phase, stages with their waves, and the counts. */
  public static String describe(PromotionRun run) {
    var status = run.getStatus();
    String phase =
        status == null || status.getPhase() == null ? "Pending" : status.getPhase().name();
    StringBuilder line = new StringBuilder("run " + run.getMetadata().getName() + " " + phase);
    if (status != null && status.getStages() != null && !status.getStages().isEmpty()) {
      line.append(": ")
          .append(
              status.getStages().stream()
                  .map(s -> stage(run, s))
                  .collect(Collectors.joining(", ")));
    }
    RunSummary sum = status == null ? null : status.getSummary();
    if (sum != null) {
      line.append(" | ")
          .append(n(sum.getConverged()))
          .append("/")
          .append(n(sum.getTargets()))
          .append(" converged, ")
          .append(n(sum.getInFlight()))
          .append(" in flight, ")
          .append(n(sum.getFailed()))
          .append(" failed");
    }
    return line.toString();
  }

  /** The exit code once the run has ended, empty while it goes on. */
  public static Optional<Integer> outcome(PromotionRun run) {
    RunPhase phase = run.getStatus() == null ? null : run.getStatus().getPhase();
    if (phase == null) {
      return Optional.empty();
    }
    return switch (phase) {
      case Succeeded -> Optional.of(ExitCodes.OK);
      case Failed, Halted, RolledBack, Superseded, Aborted -> Optional.of(ExitCodes.FAILED);
      default -> Optional.empty();
    };
  }

  /** Stages waiting for an approval (phase Waiting while the run waits for approval). */
  public static List<String> awaitingApproval(PromotionRun run) {
    var status = run.getStatus();
    if (status == null
        || status.getPhase() != RunPhase.WaitingForApproval
        || status.getStages() == null) {
      return List.of();
    }
    return status.getStages().stream()
        .filter(s -> s.getPhase() != null && s.getPhase().name().equals("Waiting"))
        .map(StageStatus::getName)
        .toList();
  }

  private static String stage(PromotionRun run, StageStatus s) {
    String phase = s.getPhase() == null ? "Pending" : s.getPhase().name();
    int waves = waves(run, s.getName());
    String wave =
        s.getCurrentWave() != null
                && waves > 1
                && List.of("Running", "Waiting", "Soaking").contains(phase)
            ? " (wave " + (s.getCurrentWave() + 1) + "/" + waves + ")"
            : "";
    return s.getName() + " " + phase + wave;
  }

  private static int waves(PromotionRun run, String stage) {
    if (run.getSpec() == null || run.getSpec().getPlanSnapshot() == null) {
      return 1;
    }
    return Objects.requireNonNullElse(run.getSpec().getPlanSnapshot().getStages(), List.<Stage>of())
        .stream()
        .filter(s -> stage.equals(s.getName()))
        .findFirst()
        .map(s -> s.getWaves() == null || s.getWaves().isEmpty() ? 1 : s.getWaves().size())
        .orElse(1);
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }
}
