package io.kapro.agent.bundle;

import io.kapro.agent.apply.AppliedObject;
import io.kapro.agent.apply.ApplyException;
import io.kapro.agent.apply.BundleApplier;
import io.kapro.agent.apply.ConvergenceJudge;
import io.kapro.agent.apply.Judgement;
import io.kapro.agent.health.AgentMetrics;
import io.kapro.agent.health.Readiness;
import io.kapro.agent.v1.RejectionReason;
import io.kapro.oci.OciException;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.verify.BundleVerifier;
import io.kapro.oci.verify.VerifiedBundle;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The agent's pull loop. Each poll resolves the {@code desired} tag to a digest without
 * downloading; an unchanged digest costs nothing more. A new digest is fetched and verified
 * (signature, cluster, sequence above the persisted high-water mark, expiry, allow-list), applied
 * all or nothing, the mark persisted, and Applied evidence reported; then a {@link
 * ConvergenceWatch} judges the objects until they settle and reports every phase change. A refused
 * bundle is reported once as a rejection and not retried. An unreachable source keeps what is
 * applied and backs off. A nudge from the hub polls at once.
 *
 * <p>Everything runs on one thread, so polls, applies and judgements never overlap.
 */
public final class PullLoop implements AutoCloseable {
  /** Readiness check: the last poll reached the bundle source. */
  public static final String SOURCE_HEALTHY = "bundle-source-healthy";

  /** Readiness check: the persisted high-water mark can be read (else nothing is applied). */
  public static final String STATE_READABLE = "bundle-state-readable";

  /** Readiness check: the hub told a fresh agent its floor (else nothing is applied). */
  public static final String FLOOR_KNOWN = "bundle-floor-known";

  /** Readiness check: the applied bundle has not expired without a newer one. */
  public static final String APPLIED_CURRENT = "applied-bundle-current";

  private static final Logger LOG = LoggerFactory.getLogger(PullLoop.class);

  /** What one poll did. */
  public enum Outcome {
    /** Nothing new (or no bundle published yet). */
    UNCHANGED,
    /** A new bundle was verified and applied. */
    APPLIED,
    /** A new bundle was refused and reported. */
    REJECTED,
    /** The source could not be read; what is applied stays. */
    ERROR
  }

  private final BundleStore store;
  private final BundleVerifier verifier;
  private final BundleApplier applier;
  private final HighWaterMarkStore marks;
  private final AppliedBundleFile appliedFile;
  private final PullState state;
  private final EvidenceReporter reporter;
  private final AgentMetrics metrics;
  private final Readiness readiness;
  private final PullOptions options;
  private final String cluster;
  private final ConvergenceWatch watch;
  private final ScheduledExecutorService executor;
  private final Object scheduleLock = new Object();
  private ScheduledFuture<?> nextPoll;
  private long generation;
  private String rejectedDigest = "";
  private String alarmedDigest = "";
  private String stateReportedDigest = "";
  private String expiryReportedDigest = "";
  private boolean failing;
  private volatile long busySince;
  private volatile long dueAt;
  private volatile boolean started;
  private volatile Instant firstPollAt;
  private volatile boolean closed;
  private volatile java.util.function.LongConsumer evidenceFloor = n -> {};

  /**
   * @param store the bundle source
   * @param verifier configured with the trusted keys, the cluster and the allow-list policy
   * @param applier patches local objects
   * @param judge judges them
   * @param marks the persisted high-water mark (file and Secret)
   * @param appliedFile the applied bundle, for restarts
   * @param state loaded state; also the hub link's state source
   * @param reporter evidence goes here ({@code hubClient::report})
   * @param metrics counters and gauges
   * @param readiness {@code /readyz}
   * @param options pacing
   * @param cluster for log context
   */
  public PullLoop(
      BundleStore store,
      BundleVerifier verifier,
      BundleApplier applier,
      ConvergenceJudge judge,
      HighWaterMarkStore marks,
      AppliedBundleFile appliedFile,
      PullState state,
      EvidenceReporter reporter,
      AgentMetrics metrics,
      Readiness readiness,
      PullOptions options,
      String cluster) {
    this.store = store;
    this.verifier = verifier;
    this.applier = applier;
    this.marks = marks;
    this.appliedFile = appliedFile;
    this.state = state;
    this.reporter = reporter;
    this.metrics = metrics;
    this.readiness = readiness;
    this.options = options;
    this.cluster = cluster;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("kapro-pull").unstarted(r));
    this.watch =
        new ConvergenceWatch(
            judge, applier, state, reporter, metrics, executor, options, this::pollDelay);
    readiness.set(SOURCE_HEALTHY, false);
    readiness.set(STATE_READABLE, state.unreadable().isEmpty());
    readiness.set(FLOOR_KNOWN, state.floorKnown());
    metrics.stateUnreadable(state.unreadable().isPresent());
    metrics.appliedSequence(state.mark().sequence());
  }

  /**
   * Loads the persisted state: the highest mark of {@code marks} and the applied bundle. When a
   * store cannot be read the state is {@linkplain PullState#unreadable unreadable}: the agent runs,
   * reports why, and applies nothing until the store answers.
   */
  public static PullState loadState(
      HighWaterMarkStore marks, AppliedBundleFile appliedFile, java.time.Clock clock) {
    HighWaterMark mark;
    try {
      mark = marks.load().orElse(HighWaterMark.NONE);
    } catch (BundleStateException e) {
      LOG.error("high-water mark unreadable, applying nothing until it is: {}", e.getMessage());
      return PullState.unreadable(e.getMessage(), clock);
    }
    Optional<AppliedBundle> applied;
    try {
      applied = appliedFile.load();
    } catch (BundleStateException e) {
      LOG.warn("{}; evidence resumes with the next bundle", e.getMessage());
      applied = Optional.empty();
    }
    return new PullState(mark, applied, clock);
  }

  /** Polls now, then keeps polling; resumes judging the bundle applied before a restart. */
  public void start() {
    started = true;
    executor.execute(
        () -> {
          MDC.put("cluster", cluster);
          state.applied().ifPresent(watch::follow);
        });
    schedulePoll(Duration.ZERO);
  }

  /** A hint from the hub that a new bundle exists: poll at once instead of waiting. */
  public void nudge(long sequence, String digest) {
    LOG.info("hub announced bundle {} ({}); polling now", sequence, digest);
    schedulePoll(Duration.ZERO);
  }

  /**
   * The hub's answer to the hello: the lowest sequence this cluster may still apply. Raises the
   * floor (never lowers the mark) and polls at once if the loop was waiting for it.
   */
  public void hubFloor(long minSequence) {
    if (state.hubFloor(minSequence)) {
      LOG.info("hub floor: sequence {}; polling now", minSequence);
      readiness.set(FLOOR_KNOWN, true);
      schedulePoll(Duration.ZERO);
    }
  }

  /**
   * Called with the hub's last evidence number carried by every verified bundle ({@code
   * minEvidenceNumber}, when present), before anything is reported about it: the outbox numbers new
   * evidence above it, so evidence written after lost state is not ignored by the hub. The one way
   * an air-gapped agent learns that number.
   */
  public void onEvidenceFloor(java.util.function.LongConsumer floor) {
    this.evidenceFloor = java.util.Objects.requireNonNull(floor, "floor");
  }

  /** The loaded and updated state (the hub link's state source). */
  public PullState state() {
    return state;
  }

  /** When the first poll ran, empty before. */
  public Optional<Instant> firstPollAt() {
    return Optional.ofNullable(firstPollAt);
  }

  private void schedulePoll(Duration delay) {
    synchronized (scheduleLock) {
      if (closed) {
        return;
      }
      if (nextPoll != null) {
        nextPoll.cancel(false);
      }
      long gen = ++generation;
      dueAt = System.nanoTime() + delay.toNanos();
      nextPoll =
          executor.schedule(() -> pollAndReschedule(gen), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void pollAndReschedule(long gen) {
    synchronized (scheduleLock) {
      if (gen != generation) {
        return; // a nudge replaced this chain
      }
    }
    boolean first = firstPollAt == null;
    Outcome outcome;
    busySince = System.nanoTime();
    try {
      outcome = pollOnce();
    } catch (VirtualMachineError e) {
      throw io.kapro.agent.health.FatalErrors.halt("the pull loop", e);
    } catch (Throwable e) { // anything else costs this poll, never the loop
      LOG.error("poll failed unexpectedly; trying again after a backoff", e);
      metrics.pull("error");
      readiness.set(SOURCE_HEALTHY, false);
      outcome = Outcome.ERROR;
    } finally {
      busySince = 0;
    }
    if (first) {
      LOG.info("first poll of {}:{}: {}", options.repository(), options.reference(), outcome);
    }
    synchronized (scheduleLock) {
      if (closed || gen != generation) {
        return;
      }
      Duration delay = outcome == Outcome.ERROR ? options.errorBackoff().next() : pollDelay();
      if (outcome == Outcome.ERROR) {
        LOG.info("next poll in {}", delay);
      }
      dueAt = System.nanoTime() + delay.toNanos();
      nextPoll =
          executor.schedule(() -> pollAndReschedule(gen), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * The watchdog's view of the loop, for {@code /healthz}: empty while it works; otherwise why it
   * does not (a poll running longer than {@code budget}, or a due poll not started within {@code
   * budget} because the loop's thread is blocked or gone).
   */
  public Optional<String> stalled(Duration budget) {
    if (!started || closed) {
      return Optional.empty();
    }
    long now = System.nanoTime();
    long busy = busySince;
    if (busy != 0 && now - busy > budget.toNanos()) {
      return Optional.of(
          "bundle poll running for " + Duration.ofNanos(now - busy).toSeconds() + "s");
    }
    long due = dueAt;
    if (busy == 0 && due != 0 && now - due > budget.toNanos()) {
      return Optional.of("bundle poll overdue by " + Duration.ofNanos(now - due).toSeconds() + "s");
    }
    ScheduledFuture<?> next;
    synchronized (scheduleLock) {
      next = nextPoll;
    }
    if (busy == 0 && next != null && next.isDone() && !next.isCancelled() && !closed) {
      return Optional.of("no bundle poll scheduled (the pull loop ended)");
    }
    return Optional.empty();
  }

  private Duration pollDelay() {
    return options.pollDelay().get();
  }

  /**
   * One poll, on the caller's thread (tests call it directly; the loop calls it on its own).
   *
   * @return what it did
   */
  public synchronized Outcome pollOnce() {
    Outcome outcome = poll();
    if (outcome != Outcome.ERROR) {
      sourceOk(); // only a whole poll without a source fault makes the source healthy again
    }
    return outcome;
  }

  private Outcome poll() {
    if (firstPollAt == null) {
      firstPollAt = options.clock().instant();
    }
    checkExpiry();
    Optional<Descriptor> desired;
    try {
      desired = store.resolve(options.repository(), options.reference());
    } catch (OciException e) {
      return sourceFailed(e);
    }
    readiness.sourceReached();
    if (desired.isEmpty()) {
      metrics.pull("unchanged");
      LOG.debug("no bundle at {}:{} yet", options.repository(), options.reference());
      return Outcome.UNCHANGED;
    }
    String digest = desired.get().digest();
    if (digest.equals(state.mark().digest()) || digest.equals(rejectedDigest)) {
      metrics.pull("unchanged");
      return Outcome.UNCHANGED;
    }
    metrics.pull("changed");
    MDC.put("bundle.digest", digest);
    try {
      if (!stateAllows(digest)) {
        return Outcome.REJECTED;
      }
      return pull(digest);
    } finally {
      MDC.remove("bundle.digest");
    }
  }

  private Outcome pull(String digest) {
    LOG.info("new bundle {} at {}:{}", digest, options.repository(), options.reference());
    VerifiedBundle bundle;
    try {
      bundle = verifier.verify(store, options.repository(), digest, state.verifyAbove());
    } catch (OciException e) {
      if (!e.isRejection()) {
        return sourceFailed(e);
      }
      if (e.reason().isTransportIntegrity()) {
        return integrityAlarm(digest, e);
      }
      return reject(digest, 0, Rejections.reason(e.reason()), e.getMessage(), e.reason().name());
    }
    long sequence = bundle.payload().sequence();
    state.raiseFloor(bundle.payload().minSequence());
    if (bundle.payload().minEvidenceNumber() > 0) {
      evidenceFloor.accept(bundle.payload().minEvidenceNumber());
    }
    Instant started = options.clock().instant();
    List<AppliedObject> objects;
    try {
      objects = applier.apply(bundle.payload().units());
    } catch (ApplyException e) {
      return reject(
          digest, sequence, e.reason().rejectionReason(), e.getMessage(), e.reason().name());
    }
    metrics.recordApply(Duration.between(started, options.clock().instant()));
    AppliedBundle applied =
        new AppliedBundle(
            sequence,
            digest,
            bundle.payload().units(),
            objects,
            bundle.payload().expiresAt(),
            bundle.payload().drift());
    marks.save(applied.mark());
    try {
      appliedFile.save(applied);
    } catch (BundleStateException e) {
      LOG.warn("{}; after a restart this bundle is not judged again", e.getMessage());
    }
    rejectedDigest = "";
    metrics.appliedSequence(sequence);
    LOG.info(
        "applied bundle {} (sequence {}, {} unit(s), signed by {})",
        digest,
        sequence,
        applied.units().size(),
        bundle.keyId());
    watch.applied(applied);
    checkExpiry();
    return Outcome.APPLIED;
  }

  /**
   * Whether a new bundle may be looked at: the persisted mark is readable (re-read here, so a
   * Secret that becomes readable again lifts the block) and, for a fresh agent, the hub told its
   * floor. A blocked digest is reported once (STATE_UNAVAILABLE) and retried on the next poll.
   */
  private boolean stateAllows(String digest) {
    if (state.unreadable().isPresent()) {
      try {
        state.readable(marks.load().orElse(HighWaterMark.NONE));
        LOG.info("high-water mark readable again: sequence {}", state.mark().sequence());
        readiness.set(STATE_READABLE, true);
        metrics.stateUnreadable(false);
      } catch (BundleStateException e) {
        readiness.set(STATE_READABLE, false);
        metrics.stateUnreadable(true);
        if (!digest.equals(stateReportedDigest)) {
          stateReportedDigest = digest;
          metrics.verificationFailure("STATE_UNAVAILABLE");
          String detail =
              "not looked at: the high-water mark in "
                  + marks.describe()
                  + " cannot be read, so a replayed older bundle cannot be told from an update ("
                  + e.getMessage()
                  + "); fix access to the store and the agent retries on its next poll";
          LOG.error("bundle {} {}", digest, detail);
          report(
              Rejections.message(
                  0,
                  digest,
                  RejectionReason.REJECTION_REASON_STATE_UNAVAILABLE,
                  detail,
                  options.clock().instant()),
              digest);
        }
        return false;
      }
    }
    if (!state.floorKnown()) {
      LOG.info(
          "bundle {} waits: no high-water mark stored and the hub has not told the floor yet",
          digest);
      return false;
    }
    return true;
  }

  /**
   * Reports, once per applied bundle, that its signed expiry passed without a newer bundle: the hub
   * re-issues before expiry, so the channel is frozen (a registry serving stale content) or broken.
   * Nothing is undone; the metric and the readiness check stay raised until a newer bundle applies.
   */
  private void checkExpiry() {
    Optional<AppliedBundle> a = state.applied();
    Instant expires = a.map(AppliedBundle::expiresAt).orElse(null);
    Instant now = options.clock().instant();
    // with the verifier's skew allowance: a bundle it accepted as current is not yet "expired"
    boolean expired = expires != null && now.minus(verifier.clockSkew()).isAfter(expires);
    metrics.appliedExpiry(expires, expired);
    readiness.set(APPLIED_CURRENT, !expired);
    if (!expired || a.get().digest().equals(expiryReportedDigest)) {
      return;
    }
    expiryReportedDigest = a.get().digest();
    String detail =
        "the applied bundle seq-"
            + a.get().sequence()
            + " expired at "
            + expires
            + " and no newer bundle arrived from "
            + store.location()
            + " (the hub re-issues before expiry): the update channel is frozen or broken;"
            + " what is applied stays";
    LOG.error("{}", detail);
    report(
        Rejections.message(
            a.get().sequence(),
            a.get().digest(),
            RejectionReason.REJECTION_REASON_APPLIED_BUNDLE_EXPIRED,
            detail,
            now),
        a.get().digest());
  }

  private void report(io.kapro.agent.v1.AgentMessage message, String digest) {
    try {
      reporter.report(message);
    } catch (RuntimeException e) {
      LOG.error("could not record the report on {}: {}", digest, e.getMessage());
    }
  }

  private Outcome reject(
      String digest, long sequence, RejectionReason reason, String detail, String metric) {
    rejectedDigest = digest;
    metrics.verificationFailure(metric);
    LOG.warn("refused bundle {}: {}", digest, detail);
    try {
      reporter.report(
          Rejections.message(sequence, digest, reason, detail, options.clock().instant()));
    } catch (RuntimeException e) {
      LOG.error("could not record the rejection of {}: {}", digest, e.getMessage());
    }
    return Outcome.REJECTED;
  }

  /**
   * The source served bytes that differ from what the hub signed (a stripped signature, an altered
   * layer): reported once per digest so the hub raises a transport alarm, then retried like an
   * unreachable source, since the same digest verifies once the mirror behaves.
   */
  private Outcome integrityAlarm(String digest, OciException e) {
    if (!digest.equals(alarmedDigest)) {
      alarmedDigest = digest;
      metrics.verificationFailure(e.reason().name());
      try {
        reporter.report(
            Rejections.message(
                0,
                digest,
                Rejections.reason(e.reason()),
                e.getMessage(),
                options.clock().instant()));
      } catch (RuntimeException r) {
        LOG.error("could not record the integrity alarm for {}: {}", digest, r.getMessage());
      }
    }
    return sourceFailed(e);
  }

  private Outcome sourceFailed(OciException e) {
    metrics.pull("error");
    readiness.set(SOURCE_HEALTHY, false);
    if (!failing) {
      LOG.warn(
          "bundle source {} unavailable ({}): keeping what is applied; {}",
          store.location(),
          e.reason(),
          e.getMessage());
    } else {
      LOG.debug("bundle source still unavailable: {}", e.getMessage());
    }
    failing = true;
    return Outcome.ERROR;
  }

  private void sourceOk() {
    readiness.sourceReached();
    readiness.set(SOURCE_HEALTHY, true);
    if (failing) {
      LOG.info("bundle source {} reachable again", store.location());
    }
    failing = false;
    options.errorBackoff().reset();
  }

  /** The latest judgement of the applied bundle, for tests and logs. */
  public java.util.Map<String, Judgement> judgements() {
    return state.judgements();
  }

  @Override
  public void close() {
    synchronized (scheduleLock) {
      closed = true;
      if (nextPoll != null) {
        nextPoll.cancel(false);
      }
    }
    watch.close();
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
