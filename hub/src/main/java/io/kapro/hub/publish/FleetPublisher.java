package io.kapro.hub.publish;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.ProvenVersion;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.kube.StatusUpdate;
import io.kapro.hub.link.LinkException;
import io.kapro.hub.target.PublishException;
import io.kapro.hub.target.PublishRequest;
import io.kapro.hub.target.PublishedBundle;
import io.kapro.hub.target.TargetPublisher;
import io.kapro.oci.OciException;
import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.BundlePublisher;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues a cluster's bundle: every unit's desired state for that cluster, signed with the Fleet's
 * key and pushed to the Fleet's registry or layout.
 *
 * <p>Desired state is derived, not stored twice: the units of the cluster's last published bundle
 * ({@code status.publishedDigest}, read back from the store) override the versions proven by
 * evidence ({@code status.versions}), and the request's units override both. Units no longer in the
 * Fleet are dropped; every unit's fields are rebuilt from its current Fleet definition.
 *
 * <p>Order of writes: reserve the sequence in Cluster status (optimistic concurrency: a stale
 * cached Cluster is answered 409 and the reservation recomputed on a fresh read, so the units are
 * derived from the Cluster as it is) → the caller's {@code beforePush} records the bundle on the
 * Target (the Target reconciler's one status write; it may call the publish off) → push → record
 * {@code sequence.published}/{@code publishedDigest} on the Cluster. Every hub replica's Cluster
 * informer ({@code io.kapro.hub.cluster.KubeClusterDirectory}) then nudges the agent's stream. A
 * crash anywhere burns at most the reserved number; a bundle recorded on a Target whose push did
 * not finish is found by {@link #pushed}. Publishes of one cluster are serialized in this process
 * (only the owner of the cluster's shard publishes).
 *
 * <p>Reads (docs/design/api-budget.md): Fleets and Clusters come from the hub's informer caches
 * ({@link Caches}; the API server only for an object not cached yet), the signing key from a cache
 * per Secret re-read at most every {@link Caches#secretRecheck}.
 */
public final class FleetPublisher implements TargetPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(FleetPublisher.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final FleetStores stores;
  private final SigningKeys keys;
  private final ClusterSequences sequences;
  private final BundleReader reader = new BundleReader();
  private final RetryPolicy retry;
  private final Caches caches;
  private final Map<ClusterId, ReentrantLock> locks = new ConcurrentHashMap<>();

  /** The highest sequence this process published or confirmed as pushed, per cluster. */
  private final Map<ClusterId, Long> publishedHere = new ConcurrentHashMap<>();

  /**
   * Where Fleets and Clusters are read: informer caches (copies never modified), empty when an
   * object is not cached (then it is read from the API server).
   *
   * @param secretRecheck how long a signing key read from its Secret is used before the Secret is
   *     read again (a rotated key is picked up within it); zero reads it for every bundle
   */
  public record Caches(
      Function<ClusterId, Optional<Cluster>> clusters,
      BiFunction<String, String, Optional<Fleet>> fleets,
      Function<String, Optional<List<Fleet>>> fleetsIn,
      Duration secretRecheck) {
    /** No caches: every read goes to the API server. */
    public static final Caches NONE =
        new Caches(
            id -> Optional.empty(),
            (ns, name) -> Optional.empty(),
            ns -> Optional.empty(),
            Duration.ZERO);

    /**
     * Without a cache of the Fleets per namespace (the re-issue check lists them then).
     *
     * @param fleetsIn (the other constructor) a namespace's Fleets, empty when the cache cannot say
     *     (not synced): never an empty list for "not known"
     */
    public Caches(
        Function<ClusterId, Optional<Cluster>> clusters,
        BiFunction<String, String, Optional<Fleet>> fleets,
        Duration secretRecheck) {
      this(clusters, fleets, ns -> Optional.empty(), secretRecheck);
    }
  }

  public FleetPublisher(KubernetesClient client, Clock clock) {
    this(client, clock, new FleetStores(client), RetryPolicy.defaults());
  }

  public FleetPublisher(
      KubernetesClient client, Clock clock, FleetStores stores, RetryPolicy retry) {
    this(client, clock, stores, retry, Caches.NONE);
  }

  public FleetPublisher(
      KubernetesClient client, Clock clock, FleetStores stores, RetryPolicy retry, Caches caches) {
    this.client = client;
    this.clock = clock;
    this.stores = stores;
    this.keys = new SigningKeys(client, clock, caches.secretRecheck());
    this.sequences = new ClusterSequences(client);
    this.retry = retry;
    this.caches = caches;
  }

  /**
   * Publishes and, for a request naming a Target, records the bundle on it by name before the push
   * (for callers outside the Target reconciler, which records it from its own copy).
   */
  @Override
  public PublishedBundle publish(PublishRequest r) {
    return publish(
        r,
        r.target() == null
            ? b -> true
            : b -> {
              recordOnTarget(r.namespace(), r.target(), b);
              return true;
            });
  }

  @Override
  public PublishedBundle publish(PublishRequest r, Predicate<PublishedBundle> beforePush) {
    ClusterId id = clusterId(r);
    if (r.fleet() == null || r.fleet().isBlank() || r.run() == null || r.run().isBlank()) {
      throw FleetConfig.invalid("publish request for " + id + " needs fleet and run, got " + r);
    }
    if (r.units().isEmpty()) {
      throw FleetConfig.invalid("publish request for " + id + " names no units");
    }
    ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
    lock.lock();
    try {
      FleetConfig fleet = fleet(id.namespace(), r.fleet());
      Cluster cluster = cluster(id);
      for (String unit : r.unitNames()) {
        if (!fleet.units().containsKey(unit)) {
          throw FleetConfig.invalid(
              "unit '"
                  + unit
                  + "' is not declared in Fleet "
                  + id.namespace()
                  + "/"
                  + r.fleet()
                  + " spec.units (declared: "
                  + fleet.units().keySet()
                  + ")");
        }
        // the requested version is checked before anything is reserved
        UnitFields.unit(fleet.units().get(unit), r.units().get(unit));
      }
      BundleStore store = stores.open(fleet);
      String repository = fleet.repository(id.name());
      // the units are derived from the Cluster as the reservation wrote it (never a stale copy)
      Function<Cluster, List<BundleUnit>> unitsFor =
          current -> {
            Map<String, String> versions = desired(current, fleet, store, repository);
            versions.putAll(r.units());
            List<BundleUnit> units = new ArrayList<>();
            for (Map.Entry<String, String> e : versions.entrySet()) {
              units.add(UnitFields.unit(fleet.units().get(e.getKey()), e.getValue()));
            }
            return units;
          };
      return issue(
          id, cluster, fleet, store, repository, r.run(), unitsFor, r.rollback(), beforePush);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Re-issues the cluster's current bundle (new sequence, same units, run and rollback flag) when
   * it expires within the Fleet's {@code reissueBefore}; empty when not due.
   */
  public Optional<PublishedBundle> reissueIfDue(ClusterId id) {
    ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
    lock.lock();
    try {
      // from the caches (docs/design/api-budget.md); a Cluster not cached is read
      Cluster cluster =
          caches
              .clusters()
              .apply(id)
              .orElseGet(
                  () ->
                      client
                          .resources(Cluster.class)
                          .inNamespace(id.namespace())
                          .withName(id.name())
                          .get());
      if (cluster == null
          || cluster.getStatus() == null
          || cluster.getStatus().getPublishedDigest() == null
          || (cluster.getSpec() != null && Boolean.TRUE.equals(cluster.getSpec().getPaused()))) {
        return Optional.empty();
      }
      Optional<Fleet> owner =
          caches
              .fleetsIn()
              .apply(id.namespace())
              .map(fleets -> Fleets.owner(fleets, cluster))
              .orElseGet(() -> Fleets.of(client, cluster));
      if (owner.isEmpty()) {
        LOG.warn("Cluster {}: no Fleet selects it; its bundle is not re-issued", id);
        return Optional.empty();
      }
      FleetConfig fleet = FleetConfig.of(owner.get());
      BundleStore store = stores.open(fleet);
      String repository = fleet.repository(id.name());
      String digest = cluster.getStatus().getPublishedDigest();
      BundlePayload last = readLast(store, repository, digest);
      Instant now = clock.instant();
      if (now.isBefore(last.expiresAt().minus(fleet.reissueBefore()))) {
        return Optional.empty();
      }
      LOG.info(
          "Cluster {}: bundle seq-{} expires at {}, re-issuing",
          id,
          last.sequence(),
          last.expiresAt());
      try {
        return Optional.ofNullable(
            issue(
                id,
                cluster,
                fleet,
                store,
                repository,
                last.run(),
                current -> {
                  // the copy read may be a cache's that has not seen a later publish: re-issue
                  // only the bundle the Cluster still has, as its reservation wrote it
                  if (current.getStatus() == null
                      || !digest.equals(current.getStatus().getPublishedDigest())) {
                    throw new Superseded();
                  }
                  return last.units();
                },
                last.rollback(),
                b -> true));
      } catch (Superseded e) {
        LOG.info(
            "Cluster {}: bundle seq-{} was replaced while re-issuing it; not re-issued (the"
                + " reserved number is burnt)",
            id,
            last.sequence());
        return Optional.empty();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The bundle to re-issue is no longer the Cluster's (a stale cached copy decided). */
  private static final class Superseded extends RuntimeException {
    Superseded() {
      super(null, null, false, false);
    }
  }

  private PublishedBundle issue(
      ClusterId id,
      Cluster cluster,
      FleetConfig fleet,
      BundleStore store,
      String repository,
      String run,
      Function<Cluster, List<BundleUnit>> unitsFor,
      boolean rollback,
      Predicate<PublishedBundle> beforePush) {
    SigningKey key = keys.load(fleet);
    long floor =
        hasSequence(cluster)
            ? 0
            : storeCall(
                () ->
                    BundleReader.highestSignedSequence(
                        store,
                        repository,
                        TrustedKeys.of(key.publicKey()),
                        id.namespace(),
                        id.name()),
                store);
    // reserve from the copy in hand (a cache's: a stale one is answered 409 and re-read), then
    // derive everything from the Cluster as the reservation wrote it
    ClusterSequences.Reserved reserved = sequences.reserve(id, cluster, floor);
    long sequence = reserved.sequence();
    Cluster current = reserved.written();
    refusePaused(id, current);
    List<BundleUnit> units = unitsFor.apply(current);
    Instant now = clock.instant();
    BundlePayload payload =
        BundlePayload.of(
                id.name(),
                id.namespace(),
                fleet.name(),
                run,
                sequence,
                now,
                now.plus(fleet.ttl()),
                units,
                rollback)
            .withMinSequence(floorFor(current, sequence))
            // air-gapped agents learn the hub's evidence number only here (issue 18 item 2)
            .withMinEvidenceNumber(io.kapro.hub.evidence.ClusterEvidence.lastNumber(current))
            .withDrift(fleet.drift())
            .validate();
    SignedBundle signed = SignedBundle.sign(payload, key, dockerReference(store, repository));
    // before the push: an agent may see the bundle (poll) and report on it before this method
    // returns; its evidence or rejection must find the Target that owns the bundle
    PublishedBundle published =
        new PublishedBundle(sequence, signed.digest(), payload.issuedAt(), payload.expiresAt());
    if (!beforePush.test(published)) {
      LOG.info(
          "Cluster {}: bundle seq-{} called off before its push (its Target moved on); the"
              + " number stays reserved",
          id,
          sequence);
      return null;
    }
    BundlePublisher.Result result =
        new BundlePublisher(store, 1, retry)
            .publish(new BundlePublisher.Request(repository, signed));
    if (result instanceof BundlePublisher.Result.Failed f) {
      throw new PublishException(
          PublishException.Reason.STORE_FAILED,
          "bundle seq-"
              + sequence
              + " for cluster "
              + id
              + " could not be pushed to "
              + store.location()
              + " (sequence "
              + sequence
              + " stays reserved; the next attempt uses a higher one): "
              + f.error().getMessage(),
          f.error());
    }
    reader.remember(signed.digest(), payload);
    sequences.recordPublished(id, reserved.written(), sequence, signed.digest());
    publishedHere.merge(id, sequence, Math::max);
    LOG.info(
        "Cluster {}: published bundle seq-{} {} ({} unit(s), expires {})",
        id,
        sequence,
        signed.digest(),
        units.size(),
        payload.expiresAt());
    return published;
  }

  /**
   * Whether a bundle recorded on a Target before its push went out: yes when this process knows it
   * published (it pushed it, or confirmed it before) or the cached Cluster shows {@code
   * sequence.published} at or above it. Otherwise the store is asked whether {@code desired} is
   * that bundle: if so the push finished and its Cluster write did not, which is redone from the
   * cached copy (a stale one is answered 409 and re-read). Only a "no" from the store needs the
   * Cluster read fresh (a later bundle may have been pushed and recorded since: the cache cannot
   * decide), and a Cluster the cache does not hold is read first. No request in the normal case; a
   * confirmed push is remembered, so the next attempt is free although the cache has not caught up.
   */
  @Override
  public Pushed pushed(PublishRequest r, PublishedBundle bundle) {
    ClusterId id = clusterId(r);
    Cluster cached = caches.clusters().apply(id).orElse(null);
    if (published(id, cached, bundle.sequence())) {
      return Pushed.YES;
    }
    ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
    if (!lock.tryLock()) {
      return Pushed.UNKNOWN;
    }
    try {
      Cluster inHand = cached;
      if (inHand == null) {
        inHand = read(id);
        if (inHand == null) {
          return Pushed.NO;
        }
        if (published(id, inHand, bundle.sequence())) {
          return confirmed(id, bundle);
        }
      }
      FleetConfig fleet = fleet(id.namespace(), r.fleet());
      BundleStore store = stores.open(fleet);
      String repository = fleet.repository(id.name());
      var desired = storeCall(() -> store.resolve(repository, BundleRepository.DESIRED_TAG), store);
      if (desired.isPresent() && bundle.digest().equals(desired.get().digest())) {
        sequences.recordPublished(id, inHand, bundle.sequence(), bundle.digest());
        LOG.info(
            "Cluster {}: bundle seq-{} was pushed before its publish stopped; recorded now",
            id,
            bundle.sequence());
        return confirmed(id, bundle);
      }
      if (cached != null) {
        // "not pushed" sends the Target back to be published again: only a fresh read may say it
        Cluster fresh = read(id);
        if (fresh == null) {
          return Pushed.NO;
        }
        if (published(id, fresh, bundle.sequence())) {
          return confirmed(id, bundle);
        }
      }
      return Pushed.NO;
    } finally {
      lock.unlock();
    }
  }

  private Pushed confirmed(ClusterId id, PublishedBundle bundle) {
    publishedHere.merge(id, bundle.sequence(), Math::max);
    return Pushed.YES;
  }

  private Cluster read(ClusterId id) {
    return client.resources(Cluster.class).inNamespace(id.namespace()).withName(id.name()).get();
  }

  private boolean published(ClusterId id, Cluster c, long sequence) {
    Long here = publishedHere.get(id);
    if (here != null && here >= sequence) {
      return true;
    }
    return c != null
        && c.getStatus() != null
        && c.getStatus().getSequence() != null
        && c.getStatus().getSequence().getPublished() != null
        && c.getStatus().getSequence().getPublished() >= sequence;
  }

  /**
   * The hub's floor for the agent, signed into the bundle: the highest sequence the cluster has
   * acknowledged (it proved it applied it), 0 when none.
   */
  static long floorFor(Cluster cluster, long sequence) {
    var status = cluster.getStatus();
    if (status == null
        || status.getSequence() == null
        || status.getSequence().getAcknowledged() == null) {
      return 0;
    }
    long ack = status.getSequence().getAcknowledged();
    return ack > 0 && ack <= sequence ? ack : 0;
  }

  /** Unit → version this cluster should run now, before the request's changes. */
  private Map<String, String> desired(
      Cluster cluster, FleetConfig fleet, BundleStore store, String repository) {
    Map<String, String> versions = new TreeMap<>();
    var status = cluster.getStatus();
    if (status != null && status.getVersions() != null) {
      for (Map.Entry<String, ProvenVersion> e : status.getVersions().entrySet()) {
        if (fleet.units().containsKey(e.getKey())
            && e.getValue() != null
            && e.getValue().getVersion() != null) {
          versions.put(e.getKey(), e.getValue().getVersion());
        }
      }
    }
    if (status != null && status.getPublishedDigest() != null) {
      try {
        for (BundleUnit u : readLast(store, repository, status.getPublishedDigest()).units()) {
          if (fleet.units().containsKey(u.name())) {
            versions.put(u.name(), u.version());
          }
        }
      } catch (PublishException e) {
        if (!(e.getCause() instanceof OciException oe)
            || oe.reason() != OciException.Reason.NOT_FOUND) {
          throw e;
        }
        LOG.warn(
            "Cluster {}/{}: last bundle {} is gone from {}; using proven versions for the other units",
            cluster.getMetadata().getNamespace(),
            cluster.getMetadata().getName(),
            status.getPublishedDigest(),
            store.location());
      }
    }
    return versions;
  }

  private BundlePayload readLast(BundleStore store, String repository, String digest) {
    return storeCall(() -> reader.read(store, repository, digest), store);
  }

  private static <T> T storeCall(java.util.function.Supplier<T> op, BundleStore store) {
    try {
      return op.get();
    } catch (OciException e) {
      throw new PublishException(
          PublishException.Reason.STORE_FAILED, store.location() + ": " + e.getMessage(), e);
    }
  }

  private void recordOnTarget(String namespace, String target, PublishedBundle b) {
    StatusUpdate.update(
        client,
        Target.class,
        namespace,
        target,
        t -> {
          if (t.getStatus() == null || t.getStatus().getPhase() != TargetPhase.Publishing) {
            return false;
          }
          t.getStatus().setBundle(b.toRef());
          return true;
        });
  }

  private FleetConfig fleet(String namespace, String name) {
    Fleet f =
        caches
            .fleets()
            .apply(namespace, name)
            .orElseGet(
                () -> client.resources(Fleet.class).inNamespace(namespace).withName(name).get());
    if (f == null) {
      throw new PublishException(
          PublishException.Reason.NOT_FOUND, "Fleet " + namespace + "/" + name + " does not exist");
    }
    return FleetConfig.of(f);
  }

  /** The Cluster from the cache (else the API server), refused when paused. */
  private Cluster cluster(ClusterId id) {
    Cluster c =
        caches
            .clusters()
            .apply(id)
            .orElseGet(
                () ->
                    client
                        .resources(Cluster.class)
                        .inNamespace(id.namespace())
                        .withName(id.name())
                        .get());
    if (c == null) {
      throw ClusterSequences.notFound(id);
    }
    refusePaused(id, c);
    return c;
  }

  private static void refusePaused(ClusterId id, Cluster c) {
    if (c.getSpec() != null && Boolean.TRUE.equals(c.getSpec().getPaused())) {
      throw new PublishException(
          PublishException.Reason.PAUSED,
          "Cluster " + id + " is paused (spec.paused); no new bundles until it is resumed");
    }
  }

  private static boolean hasSequence(Cluster c) {
    return c.getStatus() != null
        && c.getStatus().getSequence() != null
        && (c.getStatus().getSequence().getReserved() != null
            || c.getStatus().getSequence().getPublished() != null);
  }

  private static ClusterId clusterId(PublishRequest r) {
    try {
      return new ClusterId(r.namespace(), r.cluster());
    } catch (LinkException | NullPointerException e) {
      throw FleetConfig.invalid("publish request: " + e.getMessage());
    }
  }

  private static String dockerReference(BundleStore store, String repository) {
    String loc = store.location().replaceFirst("^https?://", "");
    return loc.contains(":/") ? repository : loc + "/" + repository;
  }
}
