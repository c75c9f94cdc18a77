package io.kapro.agent.bundle;

import io.kapro.agent.apply.AppliedObject;
import io.kapro.agent.apply.ApplyException;
import io.kapro.agent.apply.BundleApplier;
import io.kapro.agent.apply.ConvergenceJudge;
import io.kapro.agent.apply.ConvergencePhase;
import io.kapro.agent.apply.Judgement;
import io.kapro.agent.drift.DriftGuard;
import io.kapro.agent.drift.DriftOptions;
import io.kapro.agent.drift.UnitDrift;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Judges the applied bundle's objects and reports evidence whenever a unit's phase, observed
 * revision, message or drift changes. Until every unit settles it judges on an interval (fast while
 * units are Applied or Progressing, at the poll pace while one is Degraded); it also watches
 * exactly the bundle's objects (one watch per kind and namespace, see {@link
 * ConvergenceJudge#watch}) and judges again on every change they see, so after Converged it costs
 * nothing until something happens, and then reports health regressions (Converged →
 * Degraded/Failed, and recovery) and drift (a managed field no longer holding the bundle's value)
 * at once. Drift goes through the bundle's {@link DriftGuard}: reported, or under {@code reapply}
 * put back (rate-limited) and counted. Runs on the pull loop's thread; watch events only schedule a
 * judgement there.
 */
final class ConvergenceWatch implements AutoCloseable {
  /**
   * System property that turns the object watch off ({@code false}): the agent then stops looking
   * once every unit settled, as before issue 17. Only for measuring the watch's cost
   * (AgentWatchBenchIT's baseline); regressions and drift go unnoticed without it.
   */
  static final String WATCH_PROPERTY = "kapro.agent.objectWatch";

  private static final Logger LOG = LoggerFactory.getLogger(ConvergenceWatch.class);

  private final ConvergenceJudge judge;
  private final BundleApplier applier;
  private final PullState state;
  private final EvidenceReporter reporter;
  private final AgentMetrics metrics;
  private final ScheduledExecutorService executor;
  private final PullOptions options;
  private final Supplier<Duration> slowDelay;
  private final DriftOptions driftOptions;
  private final AtomicBoolean eventQueued = new AtomicBoolean();
  private AppliedBundle current;
  private DriftGuard drift;
  private AutoCloseable watch;
  private boolean watchFailed;
  private Map<String, String> reported = Map.of();
  private Map<String, ConvergencePhase> lastPhases = Map.of();
  private Instant appliedAt;
  private boolean convergeRecorded;
  private ScheduledFuture<?> next;
  private ScheduledFuture<?> retry;

  ConvergenceWatch(
      ConvergenceJudge judge,
      BundleApplier applier,
      PullState state,
      EvidenceReporter reporter,
      AgentMetrics metrics,
      ScheduledExecutorService executor,
      PullOptions options,
      Supplier<Duration> slowDelay) {
    this.judge = judge;
    this.applier = applier;
    this.state = state;
    this.reporter = reporter;
    this.metrics = metrics;
    this.executor = executor;
    this.options = options;
    this.slowDelay = slowDelay;
    this.driftOptions = options.drift();
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
    report(initial, Map.of());
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
    if (retry != null) {
      retry.cancel(false);
    }
    stopWatching();
    current = bundle;
    drift = new DriftGuard(bundle.drift(), driftOptions);
    reported = Map.of();
    lastPhases = Map.of();
    convergeRecorded = false;
    watchFailed = false;
    appliedAt = options.clock().instant();
    AppliedBundle target = bundle;
    if (!Boolean.parseBoolean(System.getProperty(WATCH_PROPERTY, "true"))) {
      return;
    }
    try {
      watch =
          judge.watch(
              bundle.objects(),
              () -> changed(target),
              (ref, e) -> executor.execute(() -> watchFailed(target, ref, e)));
    } catch (RuntimeException e) {
      LOG.warn(
          "cannot watch the objects of bundle {} ({}); judging on the poll interval instead",
          bundle.sequence(),
          e.getMessage());
    }
  }

  /** A watch could not start: judge on the poll interval instead, so nothing goes unnoticed. */
  private synchronized void watchFailed(AppliedBundle target, Object ref, Throwable e) {
    if (target != current || watchFailed) {
      return;
    }
    watchFailed = true;
    LOG.warn(
        "cannot watch {} ({}); judging the bundle's objects every poll interval instead. Grant the"
            + " agent list and watch on the managed kinds (charts/agent rbac)",
        ref,
        e.getMessage());
    if (next == null || next.isDone()) {
      schedule(slowDelay.get());
    }
  }

  /** A watched object changed (informer thread): judge once on the loop's thread. */
  private void changed(AppliedBundle target) {
    if (eventQueued.compareAndSet(false, true)) {
      try {
        executor.execute(
            () -> {
              eventQueued.set(false);
              tick(target, false);
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        eventQueued.set(false); // closing
      }
    }
  }

  private void schedule(Duration delay) {
    AppliedBundle target = current;
    next = executor.schedule(() -> tick(target, true), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void tick(AppliedBundle target, boolean timed) {
    if (target != current) {
      return;
    }
    MDC.put("bundle.digest", target.digest());
    try {
      ConvergenceJudge.Observation seen;
      try {
        seen = judge.look(target.objects());
      } catch (RuntimeException e) {
        LOG.warn("cannot judge the applied objects, retrying: {}", e.getMessage());
        if (timed) {
          schedule(options.convergeInterval());
        }
        return;
      }
      Map<String, Judgement> judged = seen.judged();
      DriftGuard.Outcome d = drift.observe(target.objects(), seen.objects(), now());
      state.judged(judged);
      regressions(judged);
      report(judged, d.units());
      if (d.newlyDrifted() > 0) {
        metrics.driftDetected(d.newlyDrifted());
      }
      for (int i = 0; i < d.newConflicts(); i++) {
        metrics.ownerConflict();
      }
      reapply(target, d);
      recordConvergence(judged);
      if (timed) {
        scheduleNext(judged);
      }
    } finally {
      MDC.remove("bundle.digest");
    }
  }

  /** The first time every unit is Converged (by a timed or a watch-driven judgement). */
  private void recordConvergence(Map<String, Judgement> judged) {
    boolean converged =
        judged.values().stream().allMatch(j -> j.phase() == ConvergencePhase.CONVERGED);
    if (converged && !convergeRecorded) {
      convergeRecorded = true;
      metrics.recordConverge(Duration.between(appliedAt, now()));
    }
  }

  private void scheduleNext(Map<String, Judgement> judged) {
    boolean allSettled = judged.values().stream().allMatch(j -> j.phase().settled());
    boolean watching = watch != null && !watchFailed;
    boolean off = !Boolean.parseBoolean(System.getProperty(WATCH_PROPERTY, "true"));
    if (allSettled && (watching || off)) {
      LOG.info(
          "bundle {} settled: {}{}",
          current.sequence(),
          summary(judged),
          off ? "" : "; watching for changes");
      return;
    }
    boolean moving =
        judged.values().stream()
            .anyMatch(
                j ->
                    j.phase() == ConvergencePhase.APPLIED
                        || j.phase() == ConvergencePhase.PROGRESSING);
    schedule(moving ? options.convergeInterval() : slowDelay.get());
  }

  private void regressions(Map<String, Judgement> judged) {
    Map<String, ConvergencePhase> now = new LinkedHashMap<>();
    judged.forEach(
        (unit, j) -> {
          now.put(unit, j.phase());
          ConvergencePhase before = lastPhases.get(unit);
          boolean unhealthy =
              j.phase() == ConvergencePhase.DEGRADED || j.phase() == ConvergencePhase.FAILED;
          if (before == ConvergencePhase.CONVERGED && unhealthy) {
            metrics.regression();
            LOG.warn("unit {} regressed from Converged to {}: {}", unit, j.phase(), j.message());
          } else if (before != null && before != j.phase() && j.phase().settled()) {
            LOG.info("unit {} now {} (was {})", unit, j.phase(), before);
          }
        });
    lastPhases = now;
  }

  private void reapply(AppliedBundle target, DriftGuard.Outcome d) {
    for (AppliedObject o : d.reapply()) {
      try {
        applier.reapply(o.units());
        drift.reapplied(o, now());
        int fields = o.units().stream().mapToInt(u -> u.set().size()).sum();
        metrics.driftReapplied(fields);
        LOG.info("drift: put the bundle's value back on {} ({} field(s))", o.ref(), fields);
      } catch (ApplyException e) {
        LOG.warn("drift: could not put {} back: {}", o.ref(), e.getMessage());
      }
    }
    if (d.retryAt().isPresent() && (retry == null || retry.isDone())) {
      long delay = Math.max(0, Duration.between(now(), d.retryAt().get()).toMillis());
      retry = executor.schedule(() -> tick(target, false), delay, TimeUnit.MILLISECONDS);
    }
  }

  private void report(Map<String, Judgement> judged, Map<String, UnitDrift> drifts) {
    Map<String, String> now = new LinkedHashMap<>();
    // The message is part of what the hub shows (e.g. "suspended"): a new reason is news too.
    judged.forEach(
        (unit, j) ->
            now.put(
                unit,
                j.phase()
                    + "@"
                    + j.observedRevision()
                    + " "
                    + j.message()
                    + "|"
                    + drifts.getOrDefault(unit, UnitDrift.NONE)));
    if (Objects.equals(now, reported)) {
      return;
    }
    try {
      reporter.report(
          Evidences.evidence(
              current.sequence(), current.digest(), current.units(), judged, drifts, false, now()));
      state.drifted(drifts);
      reported = now;
      LOG.info("bundle {}: {}", current.sequence(), summary(judged));
    } catch (RuntimeException e) {
      LOG.error("could not record evidence (will retry on the next change): {}", e.getMessage());
    }
  }

  private Instant now() {
    return options.clock().instant();
  }

  private void stopWatching() {
    if (watch != null) {
      try {
        watch.close();
      } catch (Exception e) {
        LOG.debug("stopping the object watch: {}", e.getMessage());
      }
      watch = null;
    }
  }

  @Override
  public synchronized void close() {
    stopWatching();
  }

  private static String summary(Map<String, Judgement> judged) {
    StringBuilder sb = new StringBuilder();
    judged.forEach(
        (u, j) -> sb.append(sb.isEmpty() ? "" : ", ").append(u).append('=').append(j.phase()));
    return sb.toString();
  }
}
