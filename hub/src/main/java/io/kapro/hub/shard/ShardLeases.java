package io.kapro.hub.shard;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shard ownership through coordination Leases: one Lease per shard ({@code <prefix>-shard-<i>}),
 * held by one replica at a time, and one membership Lease per replica ({@code
 * <prefix>-member-<identity>}) so that every replica knows how many are alive.
 *
 * <p>Every {@code period} a replica renews its membership Lease and the shard Leases it holds, and
 * then balances: its fair share is ⌈shards ÷ live replicas⌉; above it, it releases the surplus
 * (shards preferred by someone else first); below it, it takes free or expired shard Leases (its
 * preferred ones first: shard {@code i} is preferred by the {@code i mod n}-th live replica in name
 * order). A Lease counts as expired when its record has not changed for {@code leaseDuration} as
 * this replica observed it (its own clock, never the holder's timestamps: the way client-go's
 * leader election judges expiry, so clock skew between replicas does not matter). All writes carry
 * the resourceVersion read, so two replicas never both win the same Lease.
 *
 * <p>A replica stops treating a shard as its own when it could not renew the Lease for {@code
 * renewDeadline} (two thirds of the lease duration), before any other replica may take it; a
 * replica that is killed loses its shards when the Leases expire, and the others take them over.
 * {@link #close()} releases the Leases at once (a clean stop hands over without waiting).
 */
public final class ShardLeases implements ShardOwnership, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShardLeases.class);

  /** Label every Lease of a shard set carries, valued with the set's prefix. */
  public static final String SET_LABEL = "kapro.io/shard-set";

  static final String ROLE_LABEL = "kapro.io/lease-role";

  private final KubernetesClient client;
  private final String namespace;
  private final String prefix;
  private final String identity;
  private final int shards;
  private final Duration leaseDuration;
  private final Duration period;
  private final LongSupplier nanos;

  /** Shard → the local time (nanos) until which this replica may act on it. */
  private final Map<Integer, Long> owned = new ConcurrentHashMap<>();

  private final List<IntConsumer> onAcquired = new CopyOnWriteArrayList<>();

  /** Lease name → what this replica last saw of it and when it changed. */
  private final Map<String, Observed> observed = new HashMap<>();

  private ScheduledExecutorService timer;
  private volatile boolean halted;

  private record Observed(String version, long changedAtNanos) {}

  /**
   * @param prefix names the Leases (the hub uses {@code kapro-hub})
   * @param identity this replica (the pod name); unique among live replicas
   */
  public ShardLeases(
      KubernetesClient client,
      String namespace,
      String prefix,
      String identity,
      int shards,
      Duration leaseDuration) {
    this(client, namespace, prefix, identity, shards, leaseDuration, System::nanoTime);
  }

  ShardLeases(
      KubernetesClient client,
      String namespace,
      String prefix,
      String identity,
      int shards,
      Duration leaseDuration,
      LongSupplier nanos) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards: " + shards + " must be at least 1");
    }
    if (leaseDuration.toMillis() < 1000) {
      throw new IllegalArgumentException(
          "shard lease duration: "
              + leaseDuration
              + " is too short; use at least 1s (15s is usual)");
    }
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.shards = shards;
    this.leaseDuration = leaseDuration;
    this.period = leaseDuration.dividedBy(5);
    this.nanos = nanos;
  }

  @Override
  public int shards() {
    return shards;
  }

  /** This replica's identity. */
  public String identity() {
    return identity;
  }

  @Override
  public boolean owns(int shard) {
    Long until = owned.get(shard);
    return until != null && until - nanos.getAsLong() > 0;
  }

  /** The shards this replica owns now, ascending. */
  public Set<Integer> ownedShards() {
    Set<Integer> out = new TreeSet<>();
    for (int i = 0; i < shards; i++) {
      if (owns(i)) {
        out.add(i);
      }
    }
    return out;
  }

  @Override
  public void onAcquired(IntConsumer listener) {
    onAcquired.add(listener);
  }

  /** Takes part in the shard set: one round now, then every fifth of the lease duration. */
  public synchronized ShardLeases start() {
    if (timer != null) {
      return this;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("kapro-shard-leases").unstarted(r));
    timer.scheduleWithFixedDelay(this::safeRound, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info(
        "shard leases: {} shards, lease {}s, as {} in {}",
        shards,
        leaseDuration.toSeconds(),
        identity,
        namespace);
    return this;
  }

  private void safeRound() {
    try {
      round();
    } catch (RuntimeException e) {
      LOG.warn("shard lease round failed (retrying in {} ms): {}", period.toMillis(), e.toString());
    }
  }

  /** One renew-and-balance round (the timer runs it; tests call it directly). */
  synchronized void round() {
    if (halted) {
      return;
    }
    long now = nanos.getAsLong();
    Map<String, Lease> leases = new HashMap<>();
    for (Lease l :
        client.leases().inNamespace(namespace).withLabel(SET_LABEL, prefix).list().getItems()) {
      leases.put(l.getMetadata().getName(), l);
      observe(l, now);
    }
    observed.keySet().retainAll(leases.keySet());

    Lease member = leases.get(memberName(identity));
    writeHeld(member, memberName(identity), "member", now);

    List<String> live = new ArrayList<>();
    live.add(identity);
    for (Lease l : leases.values()) {
      if ("member".equals(label(l, ROLE_LABEL))
          && !identity.equals(holder(l))
          && holder(l) != null) {
        if (!expired(l, now)) {
          live.add(holder(l));
        } else if (expiredFor(l, now, leaseDuration.multipliedBy(2))) {
          deleteQuietly(l);
        }
      }
    }
    live.sort(Comparator.naturalOrder());
    int fair = (shards + live.size() - 1) / live.size();
    int me = live.indexOf(identity);

    List<Integer> held = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      Lease l = leases.get(shardName(i));
      if (l != null && identity.equals(holder(l))) {
        Lease renewed = writeHeld(l, shardName(i), "shard", now);
        if (renewed != null) {
          leases.put(shardName(i), renewed);
          held.add(i);
          owned.put(i, nanos.getAsLong() + leaseDuration.toNanos() * 2 / 3);
        } else {
          keepOrDrop(i);
        }
      } else if (owned.remove(i) != null) {
        LOG.info("shard {}: lost (now held by {})", i, l == null ? "nobody" : holder(l));
      }
    }
    // surplus: give up shards preferred by others first
    held.sort(Comparator.comparing((Integer i) -> i % live.size() == me).thenComparing(i -> i));
    while (held.size() > fair) {
      int i = held.removeFirst();
      release(leases.get(shardName(i)), i);
    }
    if (held.size() < fair) {
      List<Integer> free = new ArrayList<>();
      for (int i = 0; i < shards; i++) {
        Lease l = leases.get(shardName(i));
        if (!held.contains(i) && (l == null || holder(l) == null || expired(l, now))) {
          free.add(i);
        }
      }
      free.sort(Comparator.comparing((Integer i) -> i % live.size() != me).thenComparing(i -> i));
      for (int i : free) {
        if (held.size() >= fair) {
          break;
        }
        if (acquire(leases.get(shardName(i)), i, now)) {
          held.add(i);
        }
      }
    }
  }

  /** A failed renew: the shard stays ours only until the renew deadline passes. */
  private void keepOrDrop(int shard) {
    if (!owns(shard) && owned.remove(shard) != null) {
      LOG.warn("shard {}: could not renew its lease within the deadline; no longer acting", shard);
    }
  }

  private boolean acquire(Lease current, int shard, long now) {
    String name = shardName(shard);
    Lease next = current == null ? fresh(name, "shard") : current;
    LeaseSpec spec = next.getSpec() == null ? new LeaseSpec() : next.getSpec();
    String previous = spec.getHolderIdentity();
    spec.setHolderIdentity(identity);
    spec.setLeaseDurationSeconds((int) leaseDuration.toSeconds());
    spec.setAcquireTime(micro());
    spec.setRenewTime(micro());
    spec.setLeaseTransitions(
        (spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions()) + 1);
    next.setSpec(spec);
    try {
      Lease written =
          current == null
              ? client.leases().inNamespace(namespace).resource(next).create()
              : client.leases().inNamespace(namespace).resource(next).update();
      observe(written, now);
      owned.put(shard, nanos.getAsLong() + leaseDuration.toNanos() * 2 / 3);
      LOG.info(
          "shard {}: acquired{}",
          shard,
          previous == null ? "" : " (taken over from " + previous + ")");
      for (IntConsumer l : onAcquired) {
        try {
          l.accept(shard);
        } catch (RuntimeException e) {
          LOG.warn("shard {}: a takeover listener failed", shard, e);
        }
      }
      return true;
    } catch (KubernetesClientException e) {
      LOG.debug("shard {}: another replica was faster ({})", shard, e.getCode());
      return false;
    }
  }

  /** Renews a Lease this replica holds (creates its membership Lease); null when that failed. */
  private Lease writeHeld(Lease current, String name, String role, long now) {
    Lease next = current == null ? fresh(name, role) : current;
    LeaseSpec spec = next.getSpec() == null ? new LeaseSpec() : next.getSpec();
    spec.setHolderIdentity(identity);
    spec.setLeaseDurationSeconds((int) leaseDuration.toSeconds());
    spec.setRenewTime(micro());
    if (spec.getAcquireTime() == null) {
      spec.setAcquireTime(micro());
    }
    next.setSpec(spec);
    try {
      Lease written =
          current == null
              ? client.leases().inNamespace(namespace).resource(next).create()
              : client.leases().inNamespace(namespace).resource(next).update();
      observe(written, now);
      return written;
    } catch (KubernetesClientException e) {
      LOG.debug("lease {}: renew failed ({})", name, e.getCode());
      return null;
    }
  }

  /** Stops acting on the shard first, then frees its Lease for another replica. */
  private void release(Lease current, int shard) {
    owned.remove(shard);
    LOG.info("shard {}: released (above this replica's fair share)", shard);
    if (current == null) {
      return;
    }
    current.getSpec().setHolderIdentity(null);
    try {
      client.leases().inNamespace(namespace).resource(current).update();
    } catch (KubernetesClientException e) {
      LOG.debug(
          "shard {}: release write failed ({}); the lease expires instead", shard, e.getCode());
    }
  }

  private void observe(Lease l, long now) {
    String name = l.getMetadata().getName();
    String version = l.getMetadata().getResourceVersion();
    Observed seen = observed.get(name);
    if (seen == null || !Objects.equals(seen.version(), version)) {
      observed.put(name, new Observed(version, now));
    }
  }

  private boolean expired(Lease l, long now) {
    return expiredFor(l, now, leaseDuration);
  }

  private boolean expiredFor(Lease l, long now, Duration d) {
    Observed seen = observed.get(l.getMetadata().getName());
    return seen == null || now - seen.changedAtNanos() > d.toNanos();
  }

  private void deleteQuietly(Lease l) {
    try {
      client.leases().inNamespace(namespace).resource(l).delete();
      LOG.info("removed the membership lease of {} (gone for two lease durations)", holder(l));
    } catch (KubernetesClientException e) {
      LOG.debug("could not delete lease {}: {}", l.getMetadata().getName(), e.getCode());
    }
  }

  private Lease fresh(String name, String role) {
    Lease l = new Lease();
    l.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels(SET_LABEL, prefix)
            .addToLabels(ROLE_LABEL, role)
            .build());
    l.setSpec(new LeaseSpec());
    return l;
  }

  private static String holder(Lease l) {
    String h = l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
    return h == null || h.isEmpty() ? null : h;
  }

  private static String label(Lease l, String name) {
    Map<String, String> labels = l.getMetadata().getLabels();
    return labels == null ? null : labels.get(name);
  }

  private static ZonedDateTime micro() {
    return ZonedDateTime.now(ZoneOffset.UTC);
  }

  /** The name of shard {@code i}'s Lease. */
  public String shardName(int shard) {
    return prefix + "-shard-" + shard;
  }

  private String memberName(String who) {
    return prefix + "-member-" + who;
  }

  /**
   * Stops as a killed replica would: no more renewals, nothing released; the Leases expire and
   * other replicas take the shards over.
   */
  public synchronized void halt() {
    halted = true;
    owned.clear();
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** Stops and releases every Lease this replica holds, so others take over at once. */
  @Override
  public synchronized void close() {
    if (halted) {
      return;
    }
    halt();
    try {
      for (Lease l :
          client.leases().inNamespace(namespace).withLabel(SET_LABEL, prefix).list().getItems()) {
        if (identity.equals(holder(l))) {
          if ("member".equals(label(l, ROLE_LABEL))) {
            client.leases().inNamespace(namespace).resource(l).delete();
          } else {
            l.getSpec().setHolderIdentity(null);
            client.leases().inNamespace(namespace).resource(l).update();
          }
        }
      }
    } catch (KubernetesClientException e) {
      LOG.warn("could not release the shard leases ({}); they expire instead", e.getMessage());
    }
  }
}
