package io.kapro.agent.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The agent's Prometheus metrics, on the agent's own {@link MetricsRegistry} (not Micrometer: issue
 * 22). Every series but the refusals is registered up front so {@code /metrics} lists it from the
 * start; the pull loop, the applier and the link call the recording methods. Names, types, help
 * texts and values are those Micrometer's Prometheus registry exposed ({@code
 * AgentMetricsExpositionTest} holds its output as the reference).
 *
 * <ul>
 *   <li>{@code kapro_agent_pulls_total{result}}: polls of the bundle source, result {@code
 *       unchanged}, {@code changed} or {@code error}
 *   <li>{@code kapro_agent_verification_failures_total{reason}}: bundles refused, by reason
 *   <li>{@code kapro_agent_apply_seconds}: time to apply a bundle
 *   <li>{@code kapro_agent_converge_seconds}: time from apply to Converged
 *   <li>{@code kapro_agent_outbox_depth}: evidence items not yet acked
 *   <li>{@code kapro_agent_reconnects_total}: link reconnects
 *   <li>{@code kapro_agent_applied_sequence}: sequence of the last applied bundle
 *   <li>{@code kapro_agent_regressions_total}: a Converged unit judged Degraded or Failed later
 *   <li>{@code kapro_agent_drift_detected_total}: a managed field found without the bundle's value
 *   <li>{@code kapro_agent_drift_reapplied_total}: fields put back (drift policy {@code reapply})
 *   <li>{@code kapro_agent_owner_conflicts_total}: fields reverted again and again by another owner
 *   <li>{@code kapro_agent_applied_expiry_seconds}: signed expiry of the applied bundle (Unix
 *       seconds, 0 when unknown); {@code kapro_agent_applied_expired} is 1 once it passed without a
 *       newer bundle (a frozen update channel)
 *   <li>{@code kapro_agent_state_unreadable}: 1 while the persisted high-water mark cannot be read
 *       (nothing is applied meanwhile)
 * </ul>
 */
public final class AgentMetrics {
  /** Pull results. */
  public static final List<String> PULL_RESULTS = List.of("unchanged", "changed", "error");

  /** The {@code Content-Type} of {@link #scrape()}. */
  public static final String CONTENT_TYPE = Exposition.CONTENT_TYPE;

  private final MetricsRegistry registry;
  private final Counter pulls;
  private final Counter.Child[] pullsByResult = new Counter.Child[PULL_RESULTS.size()];
  private final Counter verificationFailures;
  private final Timer apply;
  private final Timer converge;
  private final Counter.Child reconnects;
  private final Counter.Child regressions;
  private final Counter.Child driftDetected;
  private final Counter.Child driftReapplied;
  private final Counter.Child ownerConflicts;
  private final AtomicLong appliedSequence = new AtomicLong();
  private final AtomicLong appliedExpiry = new AtomicLong();
  private final AtomicLong appliedExpired = new AtomicLong();
  private final AtomicLong stateUnreadable = new AtomicLong();
  private volatile IntSupplier outboxDepth = () -> 0;

  public AgentMetrics() {
    this(System::nanoTime);
  }

  /** With the clock that ages the timers' {@code _max} ({@link System#nanoTime()} semantics). */
  AgentMetrics(LongSupplier nanoClock) {
    registry = new MetricsRegistry(nanoClock);
    pulls = registry.counter("kapro_agent_pulls", "Polls of the bundle source", "result");
    for (int i = 0; i < pullsByResult.length; i++) {
      pullsByResult[i] = pulls.child(PULL_RESULTS.get(i));
    }
    verificationFailures =
        registry.counter(
            "kapro_agent_verification_failures", "Bundles refused, by reason", "reason");
    apply = registry.timer("kapro_agent_apply", "Time to apply a bundle");
    converge =
        registry.timer("kapro_agent_converge", "Time from apply until every unit is Converged");
    reconnects = registry.counter("kapro_agent_reconnects", "Link reconnects").child();
    regressions =
        registry
            .counter("kapro_agent_regressions", "Converged units later judged Degraded or Failed")
            .child();
    driftDetected =
        registry
            .counter(
                "kapro_agent_drift_detected", "Managed fields found without the bundle's value")
            .child();
    driftReapplied =
        registry
            .counter(
                "kapro_agent_drift_reapplied",
                "Managed fields put back under the drift policy reapply")
            .child();
    ownerConflicts =
        registry
            .counter(
                "kapro_agent_owner_conflicts",
                "Managed fields reverted repeatedly by another owner")
            .child();
    registry.gauge(
        "kapro_agent_outbox_depth",
        "Evidence items not yet acked by the hub",
        () -> outboxDepth.getAsInt());
    registry.gauge(
        "kapro_agent_applied_sequence",
        "Sequence of the last applied bundle",
        appliedSequence::get);
    registry.gauge(
        "kapro_agent_applied_expiry_seconds",
        "Signed expiry of the applied bundle, Unix seconds (0 when unknown)",
        appliedExpiry::get);
    registry.gauge(
        "kapro_agent_applied_expired",
        "1 when the applied bundle expired without a newer one (channel frozen)",
        appliedExpired::get);
    registry.gauge(
        "kapro_agent_state_unreadable",
        "1 while the persisted high-water mark cannot be read (nothing is applied)",
        stateUnreadable::get);
  }

  /** The applied bundle's expiry (null when unknown) and whether it passed. */
  public void appliedExpiry(Instant expiresAt, boolean expired) {
    appliedExpiry.set(expiresAt == null ? 0 : expiresAt.getEpochSecond());
    appliedExpired.set(expired ? 1 : 0);
  }

  /** Whether the persisted high-water mark is unreadable. */
  public void stateUnreadable(boolean unreadable) {
    stateUnreadable.set(unreadable ? 1 : 0);
  }

  /** Counts one poll; {@code result} is one of {@link #PULL_RESULTS}. */
  public void pull(String result) {
    int i = PULL_RESULTS.indexOf(result);
    if (i < 0) {
      throw new IllegalArgumentException("pull result must be one of " + PULL_RESULTS);
    }
    pullsByResult[i].increment();
  }

  /** Counts a refused bundle, e.g. {@code UNTRUSTED_KEY} or {@code NOT_ALLOWED}. */
  public void verificationFailure(String reason) {
    verificationFailures.increment(reason, 1);
  }

  public void recordApply(Duration d) {
    apply.record(d);
  }

  public void recordConverge(Duration d) {
    converge.record(d);
  }

  public void regression() {
    regressions.increment();
  }

  public void driftDetected(int fields) {
    driftDetected.increment(fields);
  }

  public void driftReapplied(int fields) {
    driftReapplied.increment(fields);
  }

  public void ownerConflict() {
    ownerConflicts.increment();
  }

  /** Fields put back so far (for tests and the benchmark). */
  public double driftReappliedCount() {
    return driftReapplied.count();
  }

  public void reconnect() {
    reconnects.increment();
  }

  public void appliedSequence(long sequence) {
    appliedSequence.set(sequence);
  }

  /** Where the outbox depth gauge reads from, e.g. {@code outbox::depth}. */
  public void outboxDepth(IntSupplier depth) {
    this.outboxDepth = depth;
  }

  /** The Prometheus text exposition, format 0.0.4 ({@link #CONTENT_TYPE}). */
  public String scrape() {
    return registry.scrape();
  }
}
