package io.kapro.hub.cluster;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kapro.api.Kapro;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.cluster.connectivity.Connectivity;
import io.kapro.hub.cluster.connectivity.Connectivity.ConnectedStatus;
import io.kapro.hub.cluster.connectivity.ConnectivityView;
import io.kapro.hub.cluster.connectivity.Liveness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-cluster coordination Leases ({@code coordination.k8s.io/v1}, {@code kapro-agent-<cluster>} in
 * the Cluster's namespace), the way Kubernetes keeps node liveness in node Leases and Open Cluster
 * Management in a lease per managed cluster: the replica holding an agent's stream takes the Lease
 * when the agent connects, renews it every {@link Liveness#leaseRenew()} while the agent is alive
 * in its memory, and gives it up (no holder) when heartbeats stop. The Cluster reconciler reads the
 * Leases from an informer: a Cluster whose Lease is held and unexpired is alive although its {@code
 * status.lastSeen} is refreshed only coarsely.
 *
 * <p>Budget: a renewal is one request (an update carrying the resourceVersion this replica wrote
 * last); a take is one create, or one update of the copy this replica wrote when it gave the Lease
 * up; only a Lease this replica does not know (another replica's) costs a create answered 409, a
 * read and an update.
 */
public final class AgentLeases implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentLeases.class);

  /** Prefix of the Lease names. */
  public static final String PREFIX = "kapro-agent-";

  private final KubernetesClient client;
  private final ConnectivityView view;
  private final Clock clock;
  private final String holder;
  private final Liveness liveness;
  private final Map<ClusterId, Lease> held = new ConcurrentHashMap<>();

  /** The Leases this replica gave up, as it wrote them: a reconnect updates them without a read. */
  private final Map<ClusterId, Lease> released = new ConcurrentHashMap<>();

  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("kapro-agent-leases").unstarted(r));

  /**
   * @param holder this replica's identity (the pod name), written as the Leases' holder
   */
  public AgentLeases(
      KubernetesClient client,
      ConnectivityView view,
      Clock clock,
      String holder,
      Liveness liveness) {
    this.client = client;
    this.view = view;
    this.clock = clock;
    this.holder = holder;
    this.liveness = liveness;
  }

  /** The Lease of cluster {@code name}. */
  public static String leaseName(String cluster) {
    return PREFIX + cluster;
  }

  /** Takes and gives up Leases on transitions; checks renewals every {@code tick}. */
  public AgentLeases start(Duration tick) {
    view.addListener((id, c) -> executor.execute(() -> transition(id, c)));
    executor.scheduleWithFixedDelay(
        this::renewDue, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Reacts to one transition of the in-memory view: take on connect, give up on loss. */
  public void transition(ClusterId id, Connectivity c) {
    if (c.status() == ConnectedStatus.TRUE) {
      renew(id);
    } else {
      release(id);
    }
  }

  /** Renews every Lease whose last renewal is {@link Liveness#leaseRenew()} old. */
  public void renewDue() {
    Instant now = clock.instant();
    for (Map.Entry<ClusterId, Connectivity> e : view.all().entrySet()) {
      if (e.getValue().status() != ConnectedStatus.TRUE) {
        continue;
      }
      Lease l = held.get(e.getKey());
      Instant renewed =
          l == null || l.getSpec().getRenewTime() == null
              ? null
              : l.getSpec().getRenewTime().toInstant();
      if (renewed == null || !now.isBefore(renewed.plus(liveness.leaseRenew()))) {
        renew(e.getKey());
      }
    }
  }

  /** Takes or renews the Lease of {@code id} now (errors are logged; the next tick retries). */
  public void renew(ClusterId id) {
    try {
      ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
      Lease mine = held.get(id);
      Lease written;
      if (mine == null) {
        written = take(id, now);
      } else {
        Lease next = withHolder(mine, holder, now);
        try {
          written = client.resource(next).update();
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409 && e.getCode() != 404) {
            throw e;
          }
          written = take(id, now); // someone else wrote it (another replica took the agent)
        }
      }
      held.put(id, written);
    } catch (RuntimeException e) {
      held.remove(id);
      LOG.warn("Cluster {}: Lease {} not renewed: {}", id, leaseName(id.name()), e.getMessage());
    }
  }

  /** Gives up the Lease of {@code id} (no holder), if this replica holds it. */
  public void release(ClusterId id) {
    Lease mine = held.remove(id);
    if (mine == null) {
      return;
    }
    try {
      Lease next = withHolder(mine, null, mine.getSpec().getRenewTime());
      released.put(id, client.resource(next).update());
    } catch (KubernetesClientException e) {
      // 409: another replica took it since, and owns it now
      LOG.debug("Cluster {}: Lease not released: {}", id, e.getMessage());
    }
  }

  /** The Lease this replica last wrote for {@code id}. */
  public Optional<Lease> held(ClusterId id) {
    return Optional.ofNullable(held.get(id));
  }

  private Lease take(ClusterId id, ZonedDateTime now) {
    Lease last = released.remove(id);
    if (last != null) {
      try {
        return client.resource(withHolder(last, holder, now)).update();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 && e.getCode() != 404) {
          throw e;
        }
        // written by another replica since, or deleted: create, or read it on a conflict
      }
    }
    Lease fresh =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(leaseName(id.name()))
            .withNamespace(id.namespace())
            .withLabels(Map.of(Kapro.Labels.CLUSTER, id.name()))
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(holder)
            .withLeaseDurationSeconds((int) liveness.leaseDuration().toSeconds())
            .withAcquireTime(now)
            .withRenewTime(now)
            .withLeaseTransitions(0)
            .endSpec()
            .build();
    try {
      return client.resource(fresh).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
    // it exists (another replica's, or one this replica forgot): take it over from a fresh read;
    // a Lease deleted in between is answered 404 and the next renewal creates it
    Lease existing =
        client.leases().inNamespace(id.namespace()).withName(leaseName(id.name())).get();
    if (existing == null) {
      return client.resource(fresh).create();
    }
    return client.resource(withHolder(existing, holder, now)).update();
  }

  private Lease withHolder(Lease base, String who, ZonedDateTime renewTime) {
    Lease next = client.getKubernetesSerialization().clone(base);
    var spec = next.getSpec();
    boolean changes = !java.util.Objects.equals(spec.getHolderIdentity(), who);
    if (changes && who != null) {
      spec.setAcquireTime(renewTime);
      spec.setLeaseTransitions(
          (spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions()) + 1);
    }
    spec.setHolderIdentity(who);
    spec.setRenewTime(renewTime);
    spec.setLeaseDurationSeconds((int) liveness.leaseDuration().toSeconds());
    return next;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
