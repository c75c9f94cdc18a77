package io.kapro.agent.bundle;

import io.kapro.agent.apply.ConvergenceJudge;
import io.kapro.agent.apply.ConvergencePhase;
import io.kapro.agent.apply.Judgement;
import io.kapro.agent.evidence.Evidences;
import io.kapro.agent.health.AgentMetrics;
import io.kapro.oci.bundle.BundleUnit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Judges the applied bundle's objects on an interval and reports evidence whenever a unit's phase,
 * observed revision or message changes. Fast while units are Applied or Progressing; at the poll
 * pace while one is Degraded (it may recover); stops once every unit is Converged or Failed. Runs
 * on the pull loop's thread.
 */
final class ConvergenceWatch {
  private static final Logger LOG = LoggerFactory.getLogger(ConvergenceWatch.class);

  private final ConvergenceJudge judge;
  private final PullState state;
  private final EvidenceReporter reporter;
  private final AgentMetrics metrics;
  private final ScheduledExecutorService executor;
  private final PullOptions options;
  private final Supplier<Duration> slowDelay;
  private AppliedBundle current;
  private Map<String, String> reported = Map.of();
  private Instant appliedAt;
  private ScheduledFuture<?> next;

  ConvergenceWatch(
      ConvergenceJudge judge,
      PullState state,
      EvidenceReporter reporter,
      AgentMetrics metrics,
      ScheduledExecutorService executor,
      PullOptions options,
      Supplier<Duration> slowDelay) {
    this.judge = judge;
    this.state = state;
    this.reporter = reporter;
    this.metrics = metrics;
    this.executor = executor;
    this.options = options;
    this.slowDelay = slowDelay;
  }

  /** A bundle was just applied: report every unit Applied, then watch it. */
  synchronized void applied(AppliedBundle bundle) {
    Map<String, Judgement> initial = new LinkedHashMap<>();
    for (BundleUnit u : bundle.units()) {
      initial.put(
          u.name(),
          new Judgement(
              ConvergencePhase.APPLIED,
              "",
              "patched; waiting for the controller",
              new ArrayList<>()));
    }
    state.applied(bundle, initial);
    switchTo(bundle);
    report(initial);
    schedule(options.convergeInterval());
  }

  /** After a restart: watch the bundle applied before it; the first judgement is reported. */
  synchronized void follow(AppliedBundle bundle) {
    switchTo(bundle);
    schedule(Duration.ZERO);
  }

  private void switchTo(AppliedBundle bundle) {
    if (next != null) {
      next.cancel(false);
    }
    current = bundle;
    reported = Map.of();
    appliedAt = options.clock().instant();
  }

  private void schedule(Duration delay) {
    AppliedBundle target = current;
    next = executor.schedule(() -> tick(target), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void tick(AppliedBundle target) {
    if (target != current) {
      return;
    }
    MDC.put("bundle.digest", target.digest());
    try {
      Map<String, Judgement> judged;
      try {
        judged = judge.observe(target.objects());
      } catch (RuntimeException e) {
        LOG.warn("cannot judge the applied objects, retrying: {}", e.getMessage());
        schedule(options.convergeInterval());
        return;
      }
      state.judged(judged);
      report(judged);
      boolean allSettled = judged.values().stream().allMatch(j -> j.phase().settled());
      boolean converged =
          judged.values().stream().allMatch(j -> j.phase() == ConvergencePhase.CONVERGED);
      if (converged) {
        metrics.recordConverge(Duration.between(appliedAt, options.clock().instant()));
      }
      if (allSettled) {
        LOG.info("bundle {} settled: {}", target.sequence(), summary(judged));
        return;
      }
      boolean moving =
          judged.values().stream()
              .anyMatch(
                  j ->
                      j.phase() == ConvergencePhase.APPLIED
                          || j.phase() == ConvergencePhase.PROGRESSING);
      schedule(moving ? options.convergeInterval() : slowDelay.get());
    } finally {
      MDC.remove("bundle.digest");
    }
  }

  private void report(Map<String, Judgement> judged) {
    Map<String, String> now = new LinkedHashMap<>();
    // The message is part of what the hub shows (e.g. "suspended"): a new reason is news too.
    judged.forEach(
        (unit, j) -> now.put(unit, j.phase() + "@" + j.observedRevision() + " " + j.message()));
    if (Objects.equals(now, reported)) {
      return;
    }
    try {
      reporter.report(
          Evidences.evidence(
              current.sequence(),
              current.digest(),
              current.units(),
              judged,
              false,
              options.clock().instant()));
      reported = now;
      LOG.info("bundle {}: {}", current.sequence(), summary(judged));
    } catch (RuntimeException e) {
      LOG.error("could not record evidence (will retry on the next change): {}", e.getMessage());
    }
  }

  private static String summary(Map<String, Judgement> judged) {
    StringBuilder sb = new StringBuilder();
    judged.forEach(
        (u, j) -> sb.append(sb.isEmpty() ? "" : ", ").append(u).append('=').append(j.phase()));
    return sb.toString();
  }
}
