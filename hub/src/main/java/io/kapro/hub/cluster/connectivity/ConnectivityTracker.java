package io.kapro.hub.cluster.connectivity;

import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.cluster.connectivity.Connectivity.ConnectedStatus;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks the agents' signs of life on this replica: {@code Connected=True} on hello, {@code
 * Unknown} once {@link #sweep()} finds three heartbeat intervals without one. Time comes from the
 * injected {@link Clock}; the gateway calls {@code sweep} periodically.
 */
public final class ConnectivityTracker implements ConnectivityView {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectivityTracker.class);

  private record Entry(Connectivity connectivity, Duration heartbeat) {}

  private final Clock clock;
  private final Map<ClusterId, Entry> entries = new ConcurrentHashMap<>();
  private final List<BiConsumer<ClusterId, Connectivity>> listeners = new CopyOnWriteArrayList<>();

  public ConnectivityTracker(Clock clock) {
    this.clock = clock;
  }

  /** An agent said hello: {@code Connected=True}. */
  public void hello(
      ClusterId cluster,
      Duration heartbeat,
      String agentVersion,
      BigInteger serial,
      Instant certificateNotAfter) {
    Instant now = clock.instant();
    Connectivity c =
        new Connectivity(
            ConnectedStatus.TRUE,
            "AgentConnected",
            now,
            now,
            agentVersion,
            serial,
            certificateNotAfter);
    entries.put(cluster, new Entry(c, heartbeat));
    LOG.info("cluster {} connected (agent {})", cluster, agentVersion);
    notifyListeners(cluster, c);
  }

  /** A heartbeat or evidence arrived. */
  public void seen(ClusterId cluster) {
    Instant now = clock.instant();
    java.util.concurrent.atomic.AtomicBoolean changed =
        new java.util.concurrent.atomic.AtomicBoolean();
    Entry updated =
        entries.computeIfPresent(
            cluster,
            (k, e) -> {
              Connectivity c = e.connectivity();
              ConnectedStatus status = ConnectedStatus.TRUE;
              changed.set(c.status() != status);
              Instant since = c.status() == status ? c.since() : now;
              return new Entry(
                  new Connectivity(
                      status,
                      "AgentConnected",
                      since,
                      now,
                      c.agentVersion(),
                      c.certificateSerial(),
                      c.certificateNotAfter()),
                  e.heartbeat());
            });
    if (updated != null && changed.get()) {
      notifyListeners(cluster, updated.connectivity());
    }
  }

  /** Marks every cluster silent for longer than its window {@code Unknown}; returns them. */
  public List<ClusterId> sweep() {
    Instant now = clock.instant();
    List<ClusterId> changed = new java.util.ArrayList<>();
    for (ClusterId cluster : entries.keySet()) {
      java.util.concurrent.atomic.AtomicBoolean lost =
          new java.util.concurrent.atomic.AtomicBoolean();
      Entry after =
          entries.computeIfPresent(
              cluster,
              (k, e) -> {
                Connectivity c = e.connectivity();
                if (c.status() == ConnectedStatus.TRUE
                    && !ConnectivityPolicy.alive(c.lastSeen(), e.heartbeat(), now)) {
                  lost.set(true);
                  return new Entry(
                      c.with(
                          ConnectedStatus.UNKNOWN,
                          io.kapro.api.Kapro.Reasons.HEARTBEAT_MISSED,
                          now),
                      e.heartbeat());
                }
                return e;
              });
      if (after != null && lost.get()) {
        // the Cluster's condition may say otherwise (AirGapped; another replica hears from it):
        // ConnectivityStatusWriter logs what it says
        LOG.debug(
            "cluster {}: no heartbeat since {} on this replica",
            cluster,
            after.connectivity().lastSeen());
        changed.add(cluster);
        notifyListeners(cluster, after.connectivity());
      }
    }
    return changed;
  }

  @Override
  public Optional<Connectivity> connectivity(ClusterId cluster) {
    return Optional.ofNullable(entries.get(cluster)).map(Entry::connectivity);
  }

  @Override
  public Map<ClusterId, Connectivity> all() {
    Map<ClusterId, Connectivity> result = new java.util.HashMap<>();
    entries.forEach((k, v) -> result.put(k, v.connectivity()));
    return Map.copyOf(result);
  }

  @Override
  public void addListener(BiConsumer<ClusterId, Connectivity> listener) {
    listeners.add(listener);
  }

  private void notifyListeners(ClusterId cluster, Connectivity c) {
    for (BiConsumer<ClusterId, Connectivity> l : listeners) {
      try {
        l.accept(cluster, c);
      } catch (RuntimeException e) {
        LOG.warn("connectivity listener failed for {}", cluster, e);
      }
    }
  }
}
