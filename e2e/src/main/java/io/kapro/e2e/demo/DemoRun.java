package io.kapro.e2e.demo;

import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.v1alpha2.StageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Follows a Promotion to the end of its current run: prints the fleet table whenever it changes,
 * approves a stage waiting for approval (after printing the {@code kubectl create} it stands for),
 * follows a superseding run, and stops when the run reaches a final phase or the time is up.
 */
public final class DemoRun {
  static final Set<RunPhase> FINAL =
      EnumSet.of(RunPhase.Succeeded, RunPhase.Failed, RunPhase.Halted, RunPhase.RolledBack);

  /**
   * How the run ended.
   *
   * @param run the last run followed
   * @param phase its phase (null if it never got one before the time was up)
   * @param table the last table
   * @param stageTimes per stage, from its start to its convergence (or to now when unfinished)
   * @param elapsed from the start of following to the end
   */
  public record Result(
      String run,
      RunPhase phase,
      FleetTable table,
      Map<String, Duration> stageTimes,
      Duration elapsed) {}

  private final DemoFleet fleet;
  private final Consumer<String> out;
  private final boolean autoApprove;
  private Consumer<FleetTable> onChange = t -> {};

  public DemoRun(DemoFleet fleet, Consumer<String> out, boolean autoApprove) {
    this.fleet = fleet;
    this.out = out;
    this.autoApprove = autoApprove;
  }

  /** Called with every new table (tests use it to act in the middle of a run). */
  public DemoRun onChange(Consumer<FleetTable> hook) {
    this.onChange = hook;
    return this;
  }

  /** Follows {@code promotion}'s current run (and any run superseding it) to a final phase. */
  public Result follow(String promotion, Duration timeout) {
    Instant start = Instant.now();
    Instant deadline = start.plus(timeout);
    String followed = null;
    String lastText = "";
    FleetTable table = null;
    Set<String> approved = new HashSet<>();
    while (true) {
      Optional<String> current = fleet.currentRun(promotion);
      Optional<PromotionRun> run = current.flatMap(fleet::run);
      if (run.isPresent()) {
        String name = current.get();
        if (followed != null && !followed.equals(name)) {
          out.accept("run " + followed + " was superseded by run " + name);
          lastText = "";
        }
        followed = name;
        table = FleetTable.of(run.get(), fleet.targets(name), fleet.clusters());
        String text = table.render();
        if (!text.equals(lastText)) {
          out.accept(text);
          lastText = text;
          onChange.accept(table);
        }
        RunPhase phase = run.get().getStatus() == null ? null : run.get().getStatus().getPhase();
        if (phase != null && FINAL.contains(phase)) {
          return new Result(name, phase, table, stageTimes(run.get()), since(start));
        }
        if (autoApprove && phase == RunPhase.WaitingForApproval) {
          approveWaiting(run.get(), approved);
        }
      }
      if (Instant.now().isAfter(deadline)) {
        out.accept(
            "gave up after "
                + timeout.toSeconds()
                + " s: the run did not reach a final phase"
                + (followed == null ? " (the Promotion never got a run)" : ""));
        return new Result(
            followed,
            run.map(r -> r.getStatus() == null ? null : r.getStatus().getPhase()).orElse(null),
            table,
            run.map(DemoRun::stageTimes).orElse(Map.of()),
            since(start));
      }
      DemoFleet.pause(Duration.ofMillis(200));
    }
  }

  private void approveWaiting(PromotionRun run, Set<String> approved) {
    String name = run.getMetadata().getName();
    for (StageStatus s : run.getStatus().getStages()) {
      if (s.getPhase() == StagePhase.Waiting && approved.add(name + "/" + s.getName())) {
        out.accept(
            "stage "
                + s.getName()
                + " waits for its approval gate; a release manager would run:\n"
                + "  kubectl --kubeconfig "
                + fleet.kubeconfig()
                + " create -f - <<EOF\n"
                + "apiVersion: kapro.io/v1alpha2\n"
                + "kind: Approval\n"
                + "metadata: {name: "
                + name
                + "-"
                + s.getName()
                + "}\n"
                + "spec: {run: "
                + name
                + ", stage: "
                + s.getName()
                + ", decision: Approve, approver: demo@kapro.local, reason: canary looked good}\n"
                + "EOF\n"
                + "the demo creates that Approval now");
        fleet.approve(name, s.getName());
      }
    }
  }

  static Map<String, Duration> stageTimes(PromotionRun run) {
    Map<String, Duration> out = new LinkedHashMap<>();
    if (run.getStatus() == null || run.getStatus().getStages() == null) {
      return out;
    }
    for (StageStatus s : run.getStatus().getStages()) {
      if (s.getStartedAt() == null) {
        continue;
      }
      Instant from = Instant.parse(s.getStartedAt());
      Instant to = s.getConvergedAt() == null ? Instant.now() : Instant.parse(s.getConvergedAt());
      out.put(s.getName(), Duration.between(from, to));
    }
    return out;
  }

  private static Duration since(Instant start) {
    return Duration.between(start, Instant.now());
  }
}
