package io.kapro.hub.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hub's Prometheus meters. Reconcilers record run and Target phases, publish latency and
 * errors, and event delivery; the gateway and CA record connected agents, evidence, coalesced
 * status writes and certificate expiry through the {@code record…} methods. {@link #scrape()}
 * renders the Prometheus text format.
 */
public final class HubMetrics {
  private final PrometheusMeterRegistry registry;
  private final Map<String, String> runPhases = new ConcurrentHashMap<>();
  private final Map<String, String> targetPhases = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> runGauges = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> targetGauges = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
  private final AtomicLong connectedAgents = new AtomicLong();
  private final Timer publish;

  private final java.util.concurrent.atomic.AtomicReference<java.util.function.IntSupplier>
      handshakesInProgress = new java.util.concurrent.atomic.AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicReference<java.util.function.LongSupplier>
      handshakesRefused = new java.util.concurrent.atomic.AtomicReference<>();

  public HubMetrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public HubMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("kapro_agents_connected", connectedAgents, AtomicLong::get)
        .description("Agents with an open stream to this hub")
        .register(registry);
    this.publish =
        Timer.builder("kapro_publish_duration")
            .description("Time to build, sign and push one Target's bundle")
            .publishPercentileHistogram()
            .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  // --- reconcilers -------------------------------------------------------------------------

  /** A run's current phase ({@code namespace/name}); gauge kapro_runs{phase}. */
  public void recordRunPhase(String run, String phase) {
    move(runPhases, runGauges, "kapro_runs", "PromotionRuns by phase", run, phase);
  }

  /** A Target's current phase; gauge kapro_targets{phase}. */
  public void recordTargetPhase(String target, String phase) {
    move(targetPhases, targetGauges, "kapro_targets", "Targets by phase", target, phase);
  }

  /** A gate was evaluated; counter kapro_gate_evaluations_total{type,result}. */
  public void recordGateEvaluation(String type, String result) {
    Counter.builder("kapro_gate_evaluations")
        .description("Gate evaluations by gate type and result")
        .tag("type", type)
        .tag("result", result)
        .register(registry)
        .increment();
  }

  /** A bundle was published; timer kapro_publish_duration_seconds. */
  public void recordPublish(Duration latency) {
    publish.record(latency);
  }

  /** A publish failed; counter kapro_publish_errors_total{reason}. */
  public void recordPublishError(String reason) {
    Counter.builder("kapro_publish_errors")
        .description("Failed bundle publications by reason")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  // --- gateway and CA (wired by the lead) ---------------------------------------------------

  /** The number of agents connected now; gauge kapro_agents_connected. */
  public void recordConnectedAgents(long n) {
    connectedAgents.set(n);
  }

  /**
   * The gateway's TLS handshakes: gauge kapro_gateway_handshakes_in_progress and counter
   * kapro_gateway_handshakes_refused_total (connections closed before their handshake because the
   * gateway was completing as many as it may at once; a reconnect storm shows here).
   */
  public synchronized void gatewayHandshakes(
      java.util.function.IntSupplier inProgress, java.util.function.LongSupplier refused) {
    boolean first = handshakesInProgress.getAndSet(inProgress) == null;
    handshakesRefused.set(refused);
    if (first) { // one meter each; a gateway started again on these metrics replaces the source
      Gauge.builder(
              "kapro_gateway_handshakes_in_progress", handshakesInProgress, r -> r.get().getAsInt())
          .description("TLS handshakes the gateway is working on")
          .register(registry);
      FunctionCounter.builder(
              "kapro_gateway_handshakes_refused", handshakesRefused, r -> r.get().getAsLong())
          .description("Connections closed before their TLS handshake: too many in progress")
          .register(registry);
    }
  }

  /** Evidence messages received; counter kapro_evidence_total. */
  public void recordEvidence(long n) {
    counter("kapro_evidence", "Evidence messages received from agents").increment(n);
  }

  /** Status writes saved by coalescing evidence; counter kapro_status_writes_coalesced_total. */
  public void recordCoalescedStatusWrites(long n) {
    counter("kapro_status_writes_coalesced", "Target status writes saved by coalescing")
        .increment(n);
  }

  /**
   * Evidence items acked without a write because their content was already what the hub records;
   * counter kapro_evidence_unchanged_total.
   */
  public void recordElidedEvidence(long n) {
    counter(
            "kapro_evidence_unchanged",
            "Evidence items acked without a write: nothing visible changed")
        .increment(n);
  }

  /** Status writes made; counter kapro_status_writes_total. */
  public void recordStatusWrites(long n) {
    counter("kapro_status_writes", "Target status writes made for evidence").increment(n);
  }

  /** When a certificate expires; gauge kapro_certificate_expiry_timestamp_seconds{name}. */
  public void recordCertificateExpiry(String name, Instant notAfter) {
    gauges
        .computeIfAbsent(
            "cert/" + name,
            k -> {
              AtomicLong v = new AtomicLong();
              Gauge.builder("kapro_certificate_expiry_timestamp_seconds", v, AtomicLong::get)
                  .description("Unix time a hub certificate expires")
                  .tag("name", name)
                  .register(registry);
              return v;
            })
        .set(notAfter.getEpochSecond());
  }

  // --- events --------------------------------------------------------------------------------

  public void eventEmitted(String type) {
    Counter.builder("kapro_events_emitted")
        .description("Transitions emitted, by CloudEvents type")
        .tag("type", type)
        .register(registry)
        .increment();
  }

  public void eventDelivered(String type) {
    Counter.builder("kapro_events_delivered")
        .description("CloudEvents delivered to sinks, by type")
        .tag("type", type)
        .register(registry)
        .increment();
  }

  public void eventDeliveryFailed() {
    counter("kapro_event_delivery_failures", "Failed CloudEvents delivery attempts").increment();
  }

  public void eventUndeliverable() {
    counter("kapro_events_undeliverable", "CloudEvents given up after retries").increment();
  }

  /** Pending outbox entries of a namespace; gauge kapro_events_outbox_depth{namespace}. */
  public void outboxDepth(String namespace, int depth) {
    gauges
        .computeIfAbsent(
            "outbox/" + namespace,
            k -> {
              AtomicLong v = new AtomicLong();
              Gauge.builder("kapro_events_outbox_depth", v, AtomicLong::get)
                  .description("CloudEvents waiting for delivery")
                  .tag("namespace", namespace)
                  .register(registry);
              return v;
            })
        .set(depth);
  }

  /** An inbound CloudEvent's outcome; counter kapro_inbound_events_total{outcome}. */
  public void inboundEvent(String outcome) {
    Counter.builder("kapro_inbound_events")
        .description("Inbound CloudEvents by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  /**
   * A bundle that failed an integrity check as served (a registry or mirror altered it); counter
   * kapro_bundle_transport_alarms_total{reason}.
   */
  public void transportAlarm(String reason) {
    Counter.builder("kapro_bundle_transport_alarms")
        .description("Bundles that failed integrity checks as served by a registry or mirror")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /**
   * Units an agent's evidence named that the hub dropped before writing (e.g. a unit it never sent
   * the cluster); counter kapro_evidence_units_dropped_total{reason}.
   */
  public void evidenceUnitsDropped(String reason, long units) {
    Counter.builder("kapro_evidence_units_dropped")
        .description("Units named by agents' evidence and dropped before any write, by reason")
        .tag("reason", reason)
        .register(registry)
        .increment(units);
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  private void move(
      Map<String, String> current,
      Map<String, AtomicLong> byPhase,
      String metric,
      String description,
      String key,
      String phase) {
    synchronized (current) {
      String before = phase == null ? current.remove(key) : current.put(key, phase);
      if (java.util.Objects.equals(before, phase)) {
        return;
      }
      if (before != null) {
        gauge(byPhase, metric, description, before).decrementAndGet();
      }
      if (phase != null) {
        gauge(byPhase, metric, description, phase).incrementAndGet();
      }
    }
  }

  private AtomicLong gauge(
      Map<String, AtomicLong> byPhase, String metric, String description, String phase) {
    return byPhase.computeIfAbsent(
        phase,
        p -> {
          AtomicLong v = new AtomicLong();
          Gauge.builder(metric, v, AtomicLong::get)
              .description(description)
              .tag("phase", p)
              .register(registry);
          return v;
        });
  }
}
