package io.kapro.cli.control;

import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.PromotionSpec;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.cli.Ages;
import io.kapro.cli.CliException;
import io.kapro.cli.ExitCodes;
import io.kapro.cli.Flags;
import io.kapro.cli.kube.KubeSession;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Finds the Promotion behind a run name (or takes a Promotion name), refuses a run that is not its
 * Promotion's current one or that has ended, edits the Promotion's spec and, with {@code --wait},
 * polls the current run until a condition holds.
 */
final class Control {
  private Control() {}

  /** What the user named, resolved: the Promotion and its current run (null until stamped). */
  record Resolved(Promotion promotion, PromotionRun run) {
    String runName() {
      return run == null ? null : run.getMetadata().getName();
    }

    RunPhase phase() {
      return run == null || run.getStatus() == null ? null : run.getStatus().getPhase();
    }
  }

  static Resolved resolve(KubeSession session, String name) {
    Flags.name("RUN", name);
    PromotionRun run = session.find(PromotionRun.class, name);
    Promotion promotion;
    if (run != null) {
      String owner = run.getSpec() == null ? null : run.getSpec().getPromotion();
      promotion = owner == null ? null : session.find(Promotion.class, owner);
      if (promotion == null) {
        throw CliException.notFound(
            "run " + name + " has no Promotion (" + owner + ")",
            "a run is controlled through its Promotion; it was deleted");
      }
      String current = promotion.getStatus() == null ? null : promotion.getStatus().getCurrentRun();
      if (!name.equals(current)) {
        throw CliException.usage(
            "run "
                + name
                + " is not the current run of promotion "
                + owner
                + " (current: "
                + current
                + "); a superseded run cannot be controlled",
            "name the current run, or the promotion: " + owner);
      }
    } else {
      promotion = session.find(Promotion.class, name);
      if (promotion == null) {
        throw CliException.notFound(
            "no PromotionRun or Promotion '" + name + "' in namespace " + session.namespace(),
            "list them with: kubectl get promotionruns,promotions -n " + session.namespace());
      }
      String current = promotion.getStatus() == null ? null : promotion.getStatus().getCurrentRun();
      run = current == null ? null : session.find(PromotionRun.class, current);
    }
    return new Resolved(promotion, run);
  }

  /** Refuses to act on a run that has ended: nothing is changed. */
  static void requireLive(Resolved r, String verb) {
    RunPhase phase = r.phase();
    if (phase != null && phase.terminal()) {
      throw new CliException(
          CliException.Reason.FAILED,
          "run " + r.runName() + " has already ended " + phase + "; there is nothing to " + verb,
          "start a new one with kapro promote, or roll back with kapro rollback "
              + r.promotion().getMetadata().getName());
    }
  }

  /** Edits the Promotion's spec (a JSON merge of the whole object, retried on conflict). */
  static Promotion edit(KubeSession session, Promotion p, Consumer<PromotionSpec> change) {
    return session
        .client()
        .resources(Promotion.class)
        .inNamespace(session.namespace())
        .withName(p.getMetadata().getName())
        .edit(
            cur -> {
              if (cur.getSpec() == null) {
                cur.setSpec(new PromotionSpec());
              }
              change.accept(cur.getSpec());
              return cur;
            });
  }

  /**
   * Polls the Promotion's current run until {@code done} answers an exit code; prints each new
   * phase. A run other than {@code notRun} is required (null: any).
   */
  static int await(
      KubeSession session,
      PrintWriter out,
      String promotion,
      String notRun,
      ControlOptions o,
      Function<PromotionRun, Integer> done)
      throws InterruptedException {
    Duration limit = Flags.duration("--timeout", o.timeout);
    Duration every = Flags.duration("--poll-interval", o.pollInterval);
    Instant start = Instant.now();
    Instant end = start.plus(limit);
    String last = null;
    while (true) {
      Promotion p = session.find(Promotion.class, promotion);
      if (p == null) {
        throw new CliException(
            CliException.Reason.FAILED, "promotion " + promotion + " was deleted", null);
      }
      String current = p.getStatus() == null ? null : p.getStatus().getCurrentRun();
      PromotionRun run =
          current == null || current.equals(notRun)
              ? null
              : session.find(PromotionRun.class, current);
      if (run != null) {
        RunPhase phase = run.getStatus() == null ? null : run.getStatus().getPhase();
        String line = "run " + current + " " + (phase == null ? "Pending" : phase);
        if (!line.equals(last)) {
          out.println("[" + Ages.format(Duration.between(start, Instant.now())) + "] " + line);
          out.flush();
          last = line;
        }
        Integer code = done.apply(run);
        if (code != null) {
          return code;
        }
      }
      if (!Instant.now().isBefore(end)) {
        throw new CliException(
            CliException.Reason.TIMEOUT,
            "the hub has not acted on promotion " + promotion + " after " + limit.toSeconds() + "s",
            "the change is recorded on the Promotion; check the hub: kubectl get promotionruns");
      }
      Thread.sleep(
          Math.max(1, Math.min(every.toMillis(), Duration.between(Instant.now(), end).toMillis())));
    }
  }

  /**
   * The shape of pause, resume and abort: find the live run's Promotion, change its spec, say so,
   * and with {@code --wait} poll until {@code done} answers an exit code.
   */
  static int change(
      KubeSession session,
      PrintWriter out,
      ControlOptions control,
      String verb,
      String done,
      Consumer<PromotionSpec> change,
      Function<PromotionRun, Integer> until)
      throws InterruptedException {
    Resolved r = resolve(session, control.target);
    requireLive(r, verb);
    edit(session, r.promotion(), change);
    String name = r.promotion().getMetadata().getName();
    out.println("promotion.kapro.io/" + name + " " + done + " (run " + r.runName() + ")");
    out.flush();
    if (!control.wait) {
      return ExitCodes.OK;
    }
    return await(session, out, name, null, control, until);
  }

  static RunPhase phase(PromotionRun run) {
    return run.getStatus() == null ? null : run.getStatus().getPhase();
  }

  /** For --wait: 0 once the run is in {@code want}, 1 if it ended otherwise, else keep waiting. */
  static Function<PromotionRun, Integer> reaches(RunPhase want) {
    return run -> {
      RunPhase p = phase(run);
      if (p == want) {
        return ExitCodes.OK;
      }
      return p != null && p.terminal() ? ExitCodes.FAILED : null;
    };
  }
}
