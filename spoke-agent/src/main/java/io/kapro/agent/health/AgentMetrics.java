package io.kapro.agent.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * The agent's Prometheus metrics. Every meter is registered up front so {@code /metrics} lists it
 * from the start; the pull loop, the applier and the link call the recording methods.
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

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer apply;
  private final Timer converge;
  private final Counter reconnects;
  private final Counter regressions;
  private final Counter driftDetected;
  private final Counter driftReapplied;
  private final Counter ownerConflicts;
  private final AtomicLong appliedSequence = new AtomicLong();
  private final AtomicLong appliedExpiry = new AtomicLong();
  private final AtomicLong appliedExpired = new AtomicLong();
  private final AtomicLong stateUnreadable = new AtomicLong();
  private volatile IntSupplier outboxDepth = () -> 0;

  public AgentMetrics() {
    PULL_RESULTS.forEach(r -> pulls(r));
    apply =
        Timer.builder("kapro.agent.apply").description("Time to apply a bundle").register(registry);
    converge =
        Timer.builder("kapro.agent.converge")
            .description("Time from apply until every unit is Converged")
            .register(registry);
    reconnects =
        Counter.builder("kapro.agent.reconnects").description("Link reconnects").register(registry);
    regressions =
        Counter.builder("kapro.agent.regressions")
            .description("Converged units later judged Degraded or Failed")
            .register(registry);
    driftDetected =
        Counter.builder("kapro.agent.drift.detected")
            .description("Managed fields found without the bundle's value")
            .register(registry);
    driftReapplied =
        Counter.builder("kapro.agent.drift.reapplied")
            .description("Managed fields put back under the drift policy reapply")
            .register(registry);
    ownerConflicts =
        Counter.builder("kapro.agent.owner.conflicts")
            .description("Managed fields reverted repeatedly by another owner")
            .register(registry);
    Gauge.builder("kapro.agent.outbox.depth", () -> outboxDepth.getAsInt())
        .description("Evidence items not yet acked by the hub")
        .register(registry);
    Gauge.builder("kapro.agent.applied.sequence", appliedSequence::get)
        .description("Sequence of the last applied bundle")
        .register(registry);
    Gauge.builder("kapro.agent.applied.expiry.seconds", appliedExpiry::get)
        .description("Signed expiry of the applied bundle, Unix seconds (0 when unknown)")
        .register(registry);
    Gauge.builder("kapro.agent.applied.expired", appliedExpired::get)
        .description("1 when the applied bundle expired without a newer one (channel frozen)")
        .register(registry);
    Gauge.builder("kapro.agent.state.unreadable", stateUnreadable::get)
        .description("1 while the persisted high-water mark cannot be read (nothing is applied)")
        .register(registry);
  }

  /** The applied bundle's expiry (null when unknown) and whether it passed. */
  public void appliedExpiry(java.time.Instant expiresAt, boolean expired) {
    appliedExpiry.set(expiresAt == null ? 0 : expiresAt.getEpochSecond());
    appliedExpired.set(expired ? 1 : 0);
  }

  /** Whether the persisted high-water mark is unreadable. */
  public void stateUnreadable(boolean unreadable) {
    stateUnreadable.set(unreadable ? 1 : 0);
  }

  private Counter pulls(String result) {
    return Counter.builder("kapro.agent.pulls")
        .description("Polls of the bundle source")
        .tag("result", result)
        .register(registry);
  }

  /** Counts one poll; {@code result} is one of {@link #PULL_RESULTS}. */
  public void pull(String result) {
    if (!PULL_RESULTS.contains(result)) {
      throw new IllegalArgumentException("pull result must be one of " + PULL_RESULTS);
    }
    pulls(result).increment();
  }

  /** Counts a refused bundle, e.g. {@code UNTRUSTED_KEY} or {@code NOT_ALLOWED}. */
  public void verificationFailure(String reason) {
    Counter.builder("kapro.agent.verification.failures")
        .description("Bundles refused, by reason")
        .tag("reason", reason)
        .register(registry)
        .increment();
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

  /** The registry, for meters other parts add. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
