package io.kapro.hub.events;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.Conditions;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.FleetStatus;
import io.kapro.hub.kube.StatusUpdate;
import io.kapro.hub.kube.TenantSecrets;
import io.kapro.hub.kube.Times;
import io.kapro.hub.metrics.HubMetrics;
import io.kapro.hub.webhook.DestinationGuard;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the {@link Outbox}: per sink in queue order, an entry at a time; a failed attempt backs
 * off exponentially and holds back that sink's later entries (so order is kept), other sinks go on.
 * After {@code maxAttempts} or {@code maxAge} an entry is given up: removed, counted in the Fleet's
 * {@code status.undeliveredEvents} with condition {@value #CONDITION}=False, and reported as a
 * Warning Event on the Fleet.
 */
final class Deliverer {
  static final String CONDITION = "EventsDelivered";
  static final String REASON_GIVEN_UP = "EventUndeliverable";
  private static final Logger LOG = LoggerFactory.getLogger(Deliverer.class);

  private final KubernetesClient client;
  private final Outbox outbox;
  private final CloudEventSender sender;
  private final KubeEvents kubeEvents;
  private final EventSettings settings;
  private final HubMetrics metrics;
  private final Clock clock;
  private final BiFunction<String, String, Fleet> fleetLookup;

  Deliverer(
      KubernetesClient client,
      Outbox outbox,
      KubeEvents kubeEvents,
      EventSettings settings,
      HubMetrics metrics,
      Clock clock,
      BiFunction<String, String, Fleet> fleets) {
    this.client = client;
    this.fleetLookup = fleets;
    this.outbox = outbox;
    this.kubeEvents = kubeEvents;
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
    this.sender = new CloudEventSender(clock, settings.timeout());
  }

  /** Namespaces with an entry that may be attempted at (or after) the instant. */
  private final Map<String, Instant> due = new ConcurrentHashMap<>();

  /** An entry was queued in {@code namespace}: deliver it in the next round. */
  void wake(String namespace) {
    due.put(namespace, Instant.MIN);
  }

  /** Every namespace's outbox (a Fleet LIST and a ConfigMap GET per namespace): the safety scan. */
  void tick() {
    for (String ns : outbox.namespaces()) {
      drainSafely(ns);
    }
  }

  /** Only the namespaces known to have an entry due: no request when none has. */
  void tickDue() {
    Instant now = clock.instant();
    for (Map.Entry<String, Instant> e : List.copyOf(due.entrySet())) {
      if (!e.getValue().isAfter(now)) {
        drainSafely(e.getKey());
      }
    }
  }

  private void drainSafely(String ns) {
    try {
      drain(ns);
    } catch (RuntimeException e) {
      due.merge(ns, clock.instant(), (a, b) -> a.isBefore(b) ? a : b); // the next round retries
      LOG.warn("outbox {}: delivery round failed, next round retries: {}", ns, e.toString());
    }
  }

  void drain(String namespace) {
    due.remove(namespace); // an entry queued from here on wakes it again
    var entries = outbox.read(namespace);
    metrics.outboxDepth(namespace, entries.size());
    Map<String, List<Map.Entry<String, OutboxEntry>>> bySink = new LinkedHashMap<>();
    entries
        .entrySet()
        .forEach(e -> bySink.computeIfAbsent(e.getValue().sinkId(), k -> new ArrayList<>()).add(e));
    Map<String, Fleet> fleets = new HashMap<>();
    Instant wakeAt = null;
    for (var sink : bySink.values()) {
      for (var item : sink) {
        Instant waits = attempt(namespace, item.getKey(), item.getValue(), fleets);
        if (waits != null) {
          wakeAt = wakeAt == null || waits.isBefore(wakeAt) ? waits : wakeAt;
          break; // keep this sink's order: later entries wait for this one
        }
      }
    }
    if (wakeAt != null) {
      due.merge(namespace, wakeAt, (a, b) -> a.isBefore(b) ? a : b);
    }
  }

  /**
   * Attempts one entry; returns null when the sink's next entry may be tried now, else when this
   * one is to be tried again (the sink waits until then).
   */
  private Instant attempt(String ns, String dataKey, OutboxEntry entry, Map<String, Fleet> fleets) {
    Instant now = clock.instant();
    Instant next = Times.parse(entry.nextAt());
    if (next != null && next.isAfter(now)) {
      return next;
    }
    Fleet fleet = fleets.computeIfAbsent(entry.fleet(), f -> fleetLookup.apply(ns, f));
    boolean allowPrivate =
        fleet != null
            && fleet.getSpec() != null
            && fleet.getSpec().getWebhooks() != null
            && Boolean.TRUE.equals(fleet.getSpec().getWebhooks().getAllowPrivateDestinations());
    byte[] hmac = null;
    String forbidden = null;
    if (entry.secretName() != null) {
      try {
        hmac = hmacKey(ns, entry.secretName(), entry.secretKey());
      } catch (TenantSecrets.Forbidden e) {
        forbidden = "the sink's secretRef: " + e.getMessage();
      }
    }
    CloudEventSender.Result r =
        forbidden != null
            ? new CloudEventSender.Result(0, forbidden)
            : entry.secretName() != null && hmac == null
                ? new CloudEventSender.Result(
                    0,
                    "Secret "
                        + entry.secretName()
                        + " has no key "
                        + entry.secretKey()
                        + "; create it or fix the sink's secretRef")
                : sender.send(
                    entry.event(), entry.url(), hmac, DestinationGuard.system(allowPrivate));
    Map<String, OutboxEntry> change = new HashMap<>();
    if (r.ok()) {
      change.put(dataKey, null);
      outbox.update(ns, change);
      metrics.eventDelivered(entry.event().type());
      LOG.debug(
          "event {} {} delivered to {}", entry.event().type(), entry.event().id(), entry.url());
      return null;
    }
    metrics.eventDeliveryFailed();
    OutboxEntry failed =
        entry.failed(r.error(), Times.format(now.plus(settings.backoff(entry.attempts() + 1))));
    Instant first = Times.parse(entry.firstAt());
    boolean tooOld = first != null && first.plus(settings.maxAge()).isBefore(now);
    if (failed.attempts() >= settings.maxAttempts() || tooOld) {
      change.put(dataKey, null);
      outbox.update(ns, change);
      giveUp(ns, failed, fleet);
      return null; // the next entry of this sink may go now
    }
    LOG.info(
        "event {} to {}: attempt {} failed ({}), next at {}",
        entry.event().id(),
        entry.url(),
        failed.attempts(),
        r.error(),
        failed.nextAt());
    change.put(dataKey, failed);
    outbox.update(ns, change);
    Instant retry = Times.parse(failed.nextAt());
    return retry == null ? now : retry;
  }

  /** Counts a given-up entry on its Fleet (status and a Warning Event). */
  void giveUp(String ns, OutboxEntry e, Fleet fleet) {
    metrics.eventUndeliverable();
    String message =
        "event "
            + e.event().type()
            + " "
            + e.event().id()
            + " to "
            + e.url()
            + " given up after "
            + e.attempts()
            + " attempt(s): "
            + e.lastError();
    LOG.warn("{}/{}: {}", ns, e.fleet(), message);
    if (fleet == null) {
      return;
    }
    kubeEvents.record(fleet, e.event().id() + "-" + e.sinkId(), REASON_GIVEN_UP, message, true);
    StatusUpdate.update(
        client,
        Fleet.class,
        ns,
        e.fleet(),
        cur -> {
          FleetStatus s = cur.getStatus() == null ? new FleetStatus() : cur.getStatus();
          int n = s.getUndeliveredEvents() == null ? 0 : s.getUndeliveredEvents();
          s.setUndeliveredEvents(n + 1);
          s.setConditions(
              Conditions.set(
                  s.getConditions(),
                  Conditions.of(
                      CONDITION,
                      ConditionStatus.False,
                      REASON_GIVEN_UP,
                      (n + 1) + " event(s) undeliverable; last: " + message,
                      cur.getMetadata().getGeneration()),
                  clock.instant()));
          cur.setStatus(s);
          return true;
        });
  }

  private byte[] hmacKey(String ns, String name, String key) {
    var secret = TenantSecrets.read(client, ns, name);
    byte[] b = secret == null ? null : TenantSecrets.bytes(secret, key);
    return b == null || b.length == 0 ? null : b;
  }
}
