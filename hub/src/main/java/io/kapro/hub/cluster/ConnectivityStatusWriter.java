package io.kapro.hub.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.CertificateInfo;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Enrollment;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.cluster.connectivity.Connectivity;
import io.kapro.hub.cluster.connectivity.Connectivity.ConnectedStatus;
import io.kapro.hub.cluster.connectivity.ConnectivityView;
import io.kapro.hub.cluster.connectivity.Liveness;
import io.kapro.hub.kube.StatusUpdate;
import io.kapro.hub.kube.Times;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this replica's {@link ConnectivityView} into Cluster status: condition {@code Connected}
 * (True / Unknown, reasons {@code AgentConnected} / {@code HeartbeatMissed}), {@code lastSeen},
 * {@code agentVersion}, {@code certificate} (only when none is recorded), {@code enrollment:
 * Enrolled}. Transitions are written at once (off the caller's thread); while heartbeats arrive
 * {@code lastSeen} is refreshed only every {@link Liveness#statusRefresh()} (liveness in between is
 * the cluster's Lease, {@link AgentLeases}): an idle connected cluster costs a few status writes an
 * hour, not one per heartbeat. {@code lastSeen} never moves backwards, and a replica never marks a
 * cluster Unknown that another replica has seen more recently.
 */
public final class ConnectivityStatusWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectivityStatusWriter.class);

  private final KubernetesClient client;
  private final ConnectivityView view;
  private final Clock clock;
  private final Map<ClusterId, Instant> written = new ConcurrentHashMap<>();
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("kapro-connectivity-writer").unstarted(r));
  private Duration refresh = Liveness.DEFAULTS.statusRefresh();
  private Function<ClusterId, Optional<Cluster>> cache = id -> Optional.empty();

  public ConnectivityStatusWriter(KubernetesClient client, ConnectivityView view, Clock clock) {
    this.client = client;
    this.view = view;
    this.clock = clock;
  }

  /** Refreshes {@code lastSeen} every {@code refresh} instead of the default. */
  public ConnectivityStatusWriter refreshEvery(Duration refresh) {
    this.refresh = refresh;
    return this;
  }

  /**
   * Writes each status from {@code cache}'s copy of the Cluster (an informer's, never modified):
   * one PATCH carrying its resourceVersion, no GET first (a stale copy is answered 409 and the
   * change recomputed on a fresh read). A Cluster the cache does not hold is read from the API
   * server.
   */
  public ConnectivityStatusWriter readingFrom(Function<ClusterId, Optional<Cluster>> cache) {
    this.cache = cache;
    return this;
  }

  /** Listens to the view and checks for due {@code lastSeen} refreshes every {@code tick}. */
  public ConnectivityStatusWriter start(Duration tick) {
    view.addListener((id, c) -> executor.execute(() -> write(id, c)));
    executor.scheduleWithFixedDelay(
        this::flush, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * Writes {@code lastSeen} of every cluster whose last write is older than the refresh interval.
   */
  public void flush() {
    for (Map.Entry<ClusterId, Connectivity> e : view.all().entrySet()) {
      Instant last = written.get(e.getKey());
      if (last == null || !e.getValue().lastSeen().isBefore(last.plus(refresh))) {
        write(e.getKey(), e.getValue());
      }
    }
  }

  /**
   * Writes one cluster's connectivity now (errors are logged; the next change or flush retries).
   */
  public void write(ClusterId id, Connectivity c) {
    try {
      String[] lapsed = {null};
      java.util.function.Predicate<Cluster> change =
          cur -> {
            boolean changed = apply(cur, c, clock.instant());
            lapsed[0] = c.status() == ConnectedStatus.UNKNOWN ? lapsed(cur, c) : null;
            return changed;
          };
      Optional<Cluster> cached = cache.apply(id);
      if (cached.isPresent()) {
        StatusUpdate.update(client, cached.get(), change);
      } else {
        // not in the cache (yet): only the API server can say whether it exists
        StatusUpdate.update(client, Cluster.class, id.namespace(), id.name(), change);
      }
      written.merge(id, c.lastSeen(), (a, b) -> a.isAfter(b) ? a : b);
      if (lapsed[0] != null) {
        LOG.info("Cluster {}: {}", id, lapsed[0]);
      }
    } catch (RuntimeException e) {
      if (executor.isShutdown()) {
        // the hub is stopping: the write was interrupted, and the next replica's view decides
        LOG.debug("Cluster {}: connectivity not written while stopping: {}", id, e.getMessage());
      } else {
        LOG.warn("Cluster {}: connectivity not written: {}", id, e.getMessage());
      }
    }
  }

  /**
   * The line logged when this replica's heartbeat window for the cluster passed: what the Cluster's
   * Connected condition says after the write ({@code False/AirGapped} for an air-gapped cluster,
   * {@code Unknown/HeartbeatMissed} for a lost one, still {@code True} when another replica hears
   * from the agent), not what the tracker alone would conclude.
   */
  static String lapsed(Cluster cur, Connectivity c) {
    var connected =
        cur.getStatus() == null
            ? java.util.Optional.<io.kapro.api.v1alpha2.Condition>empty()
            : Conditions.find(cur.getStatus().getConditions(), Kapro.ConditionTypes.CONNECTED);
    return "no heartbeat on this replica since "
        + c.lastSeen()
        + connected
            .map(
                x ->
                    "; Connected="
                        + x.getStatus()
                        + " ("
                        + x.getReason()
                        + (x.getMessage() == null ? "" : ": " + x.getMessage())
                        + ")")
            .orElse("; no Connected condition yet");
  }

  static boolean apply(Cluster cur, Connectivity c, Instant now) {
    if (cur.getStatus() == null) {
      cur.setStatus(new ClusterStatus());
    }
    ClusterStatus s = cur.getStatus();
    Instant stored = Times.parse(s.getLastSeen());
    Instant seen = Times.parse(Times.format(c.lastSeen()));
    if (c.status() == ConnectedStatus.UNKNOWN && stored != null && stored.isAfter(seen)) {
      return false; // another replica has heard from the agent since
    }
    Snapshot before = Snapshot.of(s);
    if (stored == null || stored.isBefore(seen)) {
      s.setLastSeen(Times.format(seen));
    }
    String lastSeen = s.getLastSeen();
    if (c.status() == ConnectedStatus.TRUE) {
      s.setAgentVersion(c.agentVersion());
      if (s.getEnrollment() != Enrollment.Revoked || c.certificateSerial() != null) {
        s.setEnrollment(Enrollment.Enrolled);
      }
      // The current certificate is recorded by enrollment and renewal (KubeClusterDirectory); a
      // connection only fills it in on a Cluster that records none (one from an older hub), so a
      // late write from a renewed certificate's last stream cannot bring the retired one back.
      if (c.certificateSerial() != null && s.getCertificate() == null) {
        CertificateInfo cert = new CertificateInfo();
        cert.setSerial(c.certificateSerial().toString(16));
        cert.setNotAfter(Times.format(c.certificateNotAfter()));
        s.setCertificate(cert);
      }
    }
    if (cur.getSpec() != null
        && cur.getSpec().getConnectivity() == io.kapro.api.v1alpha2.ClusterConnectivity.AirGapped) {
      // no link is expected: Connected stays False/AirGapped (ClusterReconciler), never Unknown
      return !before.equals(Snapshot.of(s));
    }
    boolean connected = c.status() == ConnectedStatus.TRUE;
    s.setConditions(
        Conditions.set(
            s.getConditions(),
            Conditions.of(
                Kapro.ConditionTypes.CONNECTED,
                connected ? ConditionStatus.True : ConditionStatus.Unknown,
                connected ? Kapro.Reasons.AGENT_CONNECTED : Kapro.Reasons.HEARTBEAT_MISSED,
                connected
                    ? "last heartbeat " + lastSeen
                    : "no heartbeat since " + lastSeen + " (three heartbeat intervals)",
                cur.getMetadata().getGeneration()),
            now));
    return !before.equals(Snapshot.of(s));
  }

  private record Snapshot(
      String lastSeen,
      String agentVersion,
      Enrollment enrollment,
      CertificateInfo certificate,
      java.util.List<io.kapro.api.v1alpha2.Condition> conditions) {
    static Snapshot of(ClusterStatus s) {
      return new Snapshot(
          s.getLastSeen(),
          s.getAgentVersion(),
          s.getEnrollment(),
          s.getCertificate(),
          s.getConditions() == null ? null : java.util.List.copyOf(s.getConditions()));
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
