package io.kapro.hub.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.EventSink;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.hub.metrics.HubMetrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's event stream: takes the transitions reconcilers derive, sends each once per subject —
 * remembered in the subject's annotation {@value #SENT} (and in memory, for a stale cache) — to the
 * Fleet's sinks through the durable {@link Outbox}, and as a Kubernetes Event; a background thread
 * delivers the outbox when something is due (an entry queued, a back-off run out) and reads every
 * outbox only every {@link EventSettings#rescan()}. Start one per hub with {@link #start}, close it
 * on shutdown.
 */
public final class HubEvents implements EventEmitter, AutoCloseable {
  /** Annotation listing the event keys already queued for the object. */
  public static final String SENT = Kapro.PREFIX + "events-sent";

  private static final Logger LOG = LoggerFactory.getLogger(HubEvents.class);

  /** Conflicts on the sent-marker write are retried this many times before the caller hears. */
  private static final int MARK_ATTEMPTS = 5;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final Outbox outbox;
  private final KubeEvents kubeEvents;
  private final Deliverer deliverer;
  private final HubMetrics metrics;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private volatile BiFunction<String, String, Optional<Fleet>> fleetCache =
      (ns, name) -> Optional.empty();
  private final Map<String, Set<String>> recent =
      Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Set<String>> e) {
              return size() > 10_000;
            }
          });

  private HubEvents(
      KubernetesClient client, EventSettings settings, HubMetrics metrics, Clock clock) {
    this.client = client;
    this.metrics = metrics;
    this.clock = clock;
    this.outbox = new Outbox(client, clock, settings.capacity());
    this.kubeEvents = new KubeEvents(client, clock);
    this.deliverer =
        new Deliverer(client, outbox, kubeEvents, settings, metrics, clock, this::fleet);
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("kapro-events").unstarted(r));
  }

  /** Starts delivery of every namespace's outbox (pending entries from before a restart too). */
  public static HubEvents start(
      KubernetesClient client, EventSettings settings, HubMetrics metrics, Clock clock) {
    return start(client, settings, metrics, clock, () -> true);
  }

  /**
   * Starts delivery; {@code leading} is asked before each round, so that of several replicas only
   * the leader delivers (the others' reconcilers emit nothing either).
   */
  public static HubEvents start(
      KubernetesClient client,
      EventSettings settings,
      HubMetrics metrics,
      Clock clock,
      BooleanSupplier leading) {
    HubEvents events = new HubEvents(client, settings, metrics, clock);
    long every = settings.poll().toMillis();
    long rescan = settings.rescan().toNanos();
    long[] scanned = {0};
    boolean[] delivering = {false};
    // event-driven: a round delivers the namespaces known to have something due (queued here, or
    // a back-off that ran out) and reads nothing else; every `rescan` (and when this replica starts
    // delivering) all outboxes are read: entries another replica queued, or a stopped one left
    events.executor.scheduleWithFixedDelay(
        () -> {
          if (!leading.getAsBoolean()) {
            delivering[0] = false;
            return;
          }
          try {
            long now = System.nanoTime();
            if (!delivering[0] || now - scanned[0] >= rescan) {
              delivering[0] = true;
              scanned[0] = now;
              events.deliverer.tick();
            } else {
              events.deliverer.tickDue();
            }
          } catch (RuntimeException e) {
            LOG.warn("event delivery round failed: {}", e.toString());
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
    return events;
  }

  @Override
  public <T extends HasMetadata> T emit(T subject, List<KaproEvent> events) {
    if (events.isEmpty()) {
      return subject;
    }
    String uid = uidOf(subject);
    Set<String> sent = annotated(subject);
    Set<String> reserved =
        recent.computeIfAbsent(uid, k -> Collections.synchronizedSet(new LinkedHashSet<>()));
    // one subject at a time: two reconcilers may derive the same event at the same moment, and
    // the second must not go on (and queue what follows from it) before the first has queued it
    synchronized (reserved) {
      List<KaproEvent> fresh =
          events.stream().filter(e -> !sent.contains(e.key()) && reserved.add(e.key())).toList();
      if (fresh.isEmpty()) {
        return subject;
      }
      try {
        return queue(subject, fresh);
      } catch (RuntimeException e) {
        fresh.forEach(f -> reserved.remove(f.key())); // not queued: the retry derives them again
        throw e;
      }
    }
  }

  private <T extends HasMetadata> T queue(T subject, List<KaproEvent> fresh) {
    String ns = subject.getMetadata().getNamespace();
    List<OutboxEntry> entries = entries(ns, fresh);
    int queued =
        outbox.enqueue(
            ns,
            entries,
            overflow ->
                deliverer.giveUp(
                    ns,
                    overflow.failed("outbox of namespace " + ns + " is full", null),
                    fleet(ns, overflow.fleet())));
    if (queued > 0) {
      deliverer.wake(ns);
    }
    for (KaproEvent e : fresh) {
      kubeEvents.record(subject, e.id(), e.type().reason(), e.message(), e.type().warning());
      metrics.eventEmitted(e.type().type());
      LOG.info("{} {} {} ({})", e.type().type(), e.subject(), e.key(), e.id());
    }
    try {
      return mark(subject, new LinkedHashSet<>(fresh.stream().map(KaproEvent::key).toList()));
    } catch (RuntimeException e) {
      // queued already; without the mark a restarted hub sends them again, with the same ids
      LOG.warn(
          "events of {} queued but not marked after {} attempts: {}",
          subject.getMetadata().getName(),
          MARK_ATTEMPTS,
          e.getMessage());
      return subject;
    }
  }

  @Override
  public void note(
      HasMetadata subject, String key, String reason, String message, boolean warning) {
    String id =
        KaproEvent.idOf(
            subject.getMetadata().getUid(),
            subject.getMetadata().getNamespace(),
            subject.getKind(),
            subject.getMetadata().getName(),
            key);
    kubeEvents.record(subject, id, reason, message, warning);
  }

  /** Delivers every namespace's outbox once, now (also what the background thread does). */
  public void deliverNow() {
    deliverer.tick();
  }

  private List<OutboxEntry> entries(String ns, List<KaproEvent> events) {
    List<OutboxEntry> out = new ArrayList<>();
    Map<String, Fleet> fleets = new HashMap<>();
    String now = io.kapro.hub.kube.Times.format(clock.instant());
    for (KaproEvent e : events) {
      if (e.fleet() == null) {
        continue;
      }
      if (!fleets.containsKey(e.fleet())) {
        fleets.put(e.fleet(), fleet(ns, e.fleet())); // once per Fleet, a missing one too
      }
      Fleet f = fleets.get(e.fleet());
      if (f == null
          || f.getSpec() == null
          || f.getSpec().getEvents() == null
          || f.getSpec().getEvents().getSinks() == null) {
        continue;
      }
      for (EventSink sink : f.getSpec().getEvents().getSinks()) {
        if (sink.getTypes() != null
            && !sink.getTypes().isEmpty()
            && !sink.getTypes().contains(e.type().type())) {
          continue;
        }
        var ref = sink.getSecretRef();
        out.add(
            new OutboxEntry(
                CloudEvent.of(e),
                e.fleet(),
                sink.getUrl(),
                ref == null ? null : ref.getName(),
                ref == null ? null : ref.getKey(),
                0,
                now,
                null,
                null));
      }
    }
    return out;
  }

  /**
   * Reads Fleets (their sinks, their delivery policy) from {@code cache} (an informer's copies,
   * never modified); a Fleet the cache does not hold is read from the API server.
   */
  public HubEvents readingFleetsFrom(BiFunction<String, String, Optional<Fleet>> cache) {
    this.fleetCache = cache;
    return this;
  }

  Fleet fleet(String ns, String name) {
    if (name == null) {
      return null;
    }
    return fleetCache
        .apply(ns, name)
        .orElseGet(() -> client.resources(Fleet.class).inNamespace(ns).withName(name).get());
  }

  private static String uidOf(HasMetadata o) {
    return o.getMetadata().getUid() != null
        ? o.getMetadata().getUid()
        : o.getMetadata().getNamespace() + "/" + o.getKind() + "/" + o.getMetadata().getName();
  }

  private static Set<String> annotated(HasMetadata o) {
    var a = o.getMetadata().getAnnotations();
    String v = a == null ? null : a.get(SENT);
    return v == null || v.isBlank() ? Set.of() : new TreeSet<>(Arrays.asList(v.split(",")));
  }

  /**
   * Records the sent keys on the subject: one JSON Patch on the copy in hand carrying its
   * resourceVersion (no read first: the annotation is computed from that copy, and a copy changed
   * since is answered 409, then re-read and the keys merged again). A conflict is expected while
   * reconcilers write the same object; only when the retries give up does the caller hear of it.
   *
   * @return the subject as written, or {@code subject} when it is gone or already marked
   */
  @SuppressWarnings("unchecked")
  private <T extends HasMetadata> T mark(T subject, Set<String> keys) {
    T current = subject;
    for (int attempt = 1; ; attempt++) {
      Set<String> before = annotated(current);
      Set<String> all = new TreeSet<>(before);
      all.addAll(keys);
      if (all.equals(before)) {
        return current;
      }
      ArrayNode ops = JSON.createArrayNode();
      ops.addObject()
          .put("op", "replace")
          .put("path", "/metadata/resourceVersion")
          .put("value", current.getMetadata().getResourceVersion());
      if (current.getMetadata().getAnnotations() == null) {
        ops.addObject()
            .put("op", "add")
            .put("path", "/metadata/annotations")
            .putObject("value")
            .put(SENT, String.join(",", all));
      } else {
        ops.addObject()
            .put("op", "add")
            .put("path", "/metadata/annotations/" + SENT.replace("~", "~0").replace("/", "~1"))
            .put("value", String.join(",", all));
      }
      try {
        return client.resource(current).patch(PatchContext.of(PatchType.JSON), ops.toString());
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return subject;
        }
        if (e.getCode() != 409 || attempt >= MARK_ATTEMPTS) {
          throw e;
        }
        LOG.debug(
            "conflict marking events on {} (attempt {}), retrying on a fresh read",
            subject.getMetadata().getName(),
            attempt);
        T fresh =
            client
                .resources((Class<T>) subject.getClass())
                .inNamespace(subject.getMetadata().getNamespace())
                .withName(subject.getMetadata().getName())
                .get();
        if (fresh == null) {
          return subject;
        }
        current = fresh;
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
