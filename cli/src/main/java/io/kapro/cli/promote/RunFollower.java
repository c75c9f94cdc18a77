package io.kapro.cli.promote;

import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionPhase;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.cli.Ages;
import io.kapro.cli.CliException;
import io.kapro.cli.ExitCodes;
import io.kapro.cli.kube.KubeSession;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Follows a Promotion's current run by polling, printing a line whenever its progress changes.
 * Read-only, so Ctrl-C at any moment leaves nothing half-done.
 */
final class RunFollower {
  private final KubeSession session;
  private final PrintWriter out;
  private final Duration limit;
  private final Duration every;

  RunFollower(KubeSession session, PrintWriter out, Duration limit, Duration every) {
    this.session = session;
    this.out = out;
    this.limit = limit;
    this.every = every;
  }

  int follow(String promotion) throws InterruptedException {
    Instant start = Instant.now();
    Instant end = start.plus(limit);
    String last = null;
    Set<String> hinted = new HashSet<>();
    while (true) {
      Promotion p = session.find(Promotion.class, promotion);
      if (p == null) {
        throw new CliException(
            CliException.Reason.FAILED,
            "promotion " + promotion + " was deleted while waiting",
            null);
      }
      var status = p.getStatus();
      String runName = status == null ? null : status.getCurrentRun();
      PromotionRun run = runName == null ? null : session.find(PromotionRun.class, runName);
      String line;
      Optional<Integer> outcome = Optional.empty();
      if (run == null) {
        PromotionPhase phase = status == null ? null : status.getPhase();
        line =
            "promotion "
                + promotion
                + " "
                + (phase == null ? "Pending" : phase.name())
                + (runName == null ? ": waiting for the hub to start a run" : "");
        if (phase == PromotionPhase.Failed || phase == PromotionPhase.Superseded) {
          outcome = Optional.of(ExitCodes.FAILED);
          line += message(p);
        }
      } else {
        line = RunProgress.describe(run);
        outcome = RunProgress.outcome(run);
        for (String stage : RunProgress.awaitingApproval(run)) {
          if (hinted.add(stage)) {
            out.println(
                "  waiting for approval of stage "
                    + stage
                    + ": kapro approve "
                    + runName
                    + " --stage "
                    + stage
                    + " --reason \"...\"");
          }
        }
      }
      if (!line.equals(last)) {
        out.println("[" + Ages.format(Duration.between(start, Instant.now())) + "] " + line);
        out.flush();
        last = line;
      }
      if (outcome.isPresent()) {
        out.println(
            outcome.get() == ExitCodes.OK
                ? "promotion " + promotion + " succeeded"
                : "promotion " + promotion + " did not succeed; see: kapro why <cluster>");
        out.flush();
        return outcome.get();
      }
      if (!Instant.now().isBefore(end)) {
        throw new CliException(
            CliException.Reason.TIMEOUT,
            "promotion " + promotion + " has not finished after " + limit.toSeconds() + "s",
            "it goes on in the hub; follow it with: kapro status "
                + (p.getSpec() == null ? "<fleet>" : p.getSpec().getFleet())
                + " --watch");
      }
      Thread.sleep(
          Math.max(1, Math.min(every.toMillis(), Duration.between(Instant.now(), end).toMillis())));
    }
  }

  private static String message(Promotion p) {
    if (p.getStatus() == null || p.getStatus().getConditions() == null) {
      return "";
    }
    return p.getStatus().getConditions().stream()
        .filter(c -> c.getMessage() != null && !c.getMessage().isEmpty())
        .findFirst()
        .map(c -> ": " + c.getReason() + ": " + c.getMessage())
        .orElse("");
  }
}
