package io.kapro.hub.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kapro.api.v1alpha2.CertificateInfo;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.api.v1alpha2.Enrollment;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.evidence.ClusterEvidence;
import io.kapro.hub.gateway.BundleNotifier;
import io.kapro.hub.gateway.ClusterDirectory;
import io.kapro.hub.gateway.ClusterEntry;
import io.kapro.hub.gateway.LatestBundle;
import io.kapro.hub.gateway.LinkSettings;
import io.kapro.hub.kube.StatusUpdate;
import io.kapro.hub.kube.Times;
import io.kapro.hub.link.LinkException;
import io.kapro.hub.publish.Fleets;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's {@link ClusterDirectory} on the Cluster CRD: informers on Clusters and Fleets (one
 * set per hub replica). Revoked serials come from {@code status.revokedSerials} (hex), settings
 * from the Fleet that selects the cluster, the published bundle from {@code
 * status.sequence.published}/{@code publishedDigest}. Listeners hear about revocations, bundle,
 * label and Fleet changes and deletions; {@link #onBundlePublished} listeners (the gateway's
 * notifier) hear about every newly published bundle, so each replica nudges its own streams.
 *
 * <p>The current certificate is {@code status.certificate.serial}, written by {@link
 * #recordCertificate} (enrollment and renewal) with the resourceVersion it read. Until the informer
 * shows that write, this replica answers from what it wrote (an agent reconnects with its renewed
 * certificate at once); another replica may refuse it once until its cache catches up, and the
 * agent retries.
 */
public final class KubeClusterDirectory implements ClusterDirectory, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubeClusterDirectory.class);
  private static final int DIGESTS = 100_000;

  private final List<Consumer<ClusterId>> listeners = new CopyOnWriteArrayList<>();
  private final List<BundleNotifier> notifiers = new CopyOnWriteArrayList<>();
  private final Map<String, ClusterId> digests =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ClusterId> e) {
          return size() > DIGESTS;
        }
      };

  /** Certificates this replica recorded that its cache does not show yet. */
  private final Map<ClusterId, Recorded> recorded = new java.util.concurrent.ConcurrentHashMap<>();

  private record Recorded(String replaced, String current) {}

  private KubernetesClient client;
  private SharedIndexInformer<Fleet> fleets;
  private SharedIndexInformer<Cluster> clusters;

  private KubeClusterDirectory() {}

  /**
   * Starts the informers and returns once their caches are filled.
   *
   * @param namespace the namespace to watch, or null for all
   */
  public static KubeClusterDirectory start(KubernetesClient client, String namespace) {
    KubeClusterDirectory d = new KubeClusterDirectory();
    d.client = client;
    d.fleets =
        (namespace == null
                ? client.resources(Fleet.class).inAnyNamespace()
                : client.resources(Fleet.class).inNamespace(namespace))
            .inform(d.fleetHandler(), 0);
    d.clusters =
        (namespace == null
                ? client.resources(Cluster.class).inAnyNamespace()
                : client.resources(Cluster.class).inNamespace(namespace))
            .inform(d.clusterHandler(), 0);
    return d;
  }

  /** Calls {@code notifier} for every bundle published after this call (seen by the informer). */
  public void onBundlePublished(BundleNotifier notifier) {
    notifiers.add(notifier);
  }

  @Override
  public Optional<ClusterEntry> find(ClusterId id) {
    Cluster c = clusters.getStore().getByKey(id.namespace() + "/" + id.name());
    return c == null ? Optional.empty() : Optional.of(entry(id, c));
  }

  /** The informer's copy of the Cluster (never modify it), or empty when not (yet) cached. */
  public Optional<Cluster> cached(ClusterId id) {
    return Optional.ofNullable(clusters.getStore().getByKey(id.namespace() + "/" + id.name()));
  }

  /** The informer's copy of a Fleet (never modify it), or empty when not (yet) cached. */
  public Optional<Fleet> cachedFleet(String namespace, String name) {
    return Optional.ofNullable(fleets.getStore().getByKey(namespace + "/" + name));
  }

  /**
   * The informer's Fleets of a namespace (never modify them), or empty while the informer has not
   * synced: an empty list means the namespace has no Fleet, never "not known".
   */
  public Optional<List<Fleet>> cachedFleets(String namespace) {
    if (!fleets.hasSynced()) {
      return Optional.empty();
    }
    return Optional.of(
        fleets.getStore().list().stream()
            .filter(f -> Objects.equals(f.getMetadata().getNamespace(), namespace))
            .toList());
  }

  @Override
  public Optional<ClusterId> bundleOwner(String digest) {
    synchronized (digests) {
      return Optional.ofNullable(digests.get(digest));
    }
  }

  @Override
  public void addListener(Consumer<ClusterId> listener) {
    listeners.add(listener);
  }

  @Override
  public void recordCertificate(
      ClusterId id, Optional<BigInteger> replaces, X509Certificate issued) {
    String next = issued.getSerialNumber().toString(16);
    String[] before = {null};
    Optional<Cluster> written;
    try {
      written =
          StatusUpdate.update(
              client,
              Cluster.class,
              id.namespace(),
              id.name(),
              cur -> {
                if (cur.getStatus() == null) {
                  cur.setStatus(new ClusterStatus());
                }
                ClusterStatus s = cur.getStatus();
                Optional<BigInteger> current =
                    parseSerial(
                        id, s.getCertificate() == null ? null : s.getCertificate().getSerial());
                if (replaces.isPresent() && current.isPresent() && !current.equals(replaces)) {
                  throw new LinkException(
                      LinkException.Reason.CERTIFICATE_RETIRED,
                      "certificate "
                          + replaces.get().toString(16)
                          + " of cluster "
                          + id
                          + " was already replaced by "
                          + current.get().toString(16)
                          + " (status.certificate.serial); it cannot renew");
                }
                before[0] = s.getCertificate() == null ? null : s.getCertificate().getSerial();
                CertificateInfo cert = new CertificateInfo();
                cert.setSerial(next);
                cert.setNotAfter(Times.format(issued.getNotAfter().toInstant()));
                s.setCertificate(cert);
                if (replaces.isEmpty()) {
                  s.setEnrollment(Enrollment.Enrolled);
                }
                return true;
              });
    } catch (LinkException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new LinkException(
          LinkException.Reason.STORE_UNAVAILABLE,
          "cannot record certificate " + next + " in Cluster " + id + " status: " + e.getMessage(),
          e);
    }
    if (written.isEmpty()) {
      throw new LinkException(
          LinkException.Reason.UNKNOWN_CLUSTER,
          "cluster " + id + " was removed from the hub; create its Cluster and enroll again");
    }
    recorded.put(id, new Recorded(before[0], next));
    changed(id);
  }

  /**
   * The current certificate serial: this replica's own recent write while the cache still shows the
   * value it replaced, else {@code status.certificate.serial}.
   */
  private Optional<BigInteger> currentSerial(ClusterId id, ClusterStatus s) {
    String cached = s == null || s.getCertificate() == null ? null : s.getCertificate().getSerial();
    Recorded mine = recorded.get(id);
    String serial = cached;
    if (mine != null) {
      if (Objects.equals(sameHex(cached), sameHex(mine.replaced()))) {
        serial = mine.current(); // the cache has not caught up with our write yet
      } else {
        recorded.remove(id, mine); // the cache shows our write (or a later one)
      }
    }
    return parseSerial(id, serial);
  }

  private static Optional<BigInteger> parseSerial(ClusterId id, String serial) {
    if (serial == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new BigInteger(serial.trim(), 16));
    } catch (NumberFormatException e) {
      // Fail closed: a current certificate that cannot be read matches no certificate.
      LOG.warn(
          "Cluster {}: status.certificate.serial '{}' is not hex; no certificate matches",
          id,
          serial);
      return Optional.of(BigInteger.valueOf(-1));
    }
  }

  private static String sameHex(String serial) {
    if (serial == null) {
      return null;
    }
    try {
      return new BigInteger(serial.trim(), 16).toString(16);
    } catch (NumberFormatException e) {
      return serial;
    }
  }

  private ClusterEntry entry(ClusterId id, Cluster c) {
    ClusterStatus s = c.getStatus();
    Set<BigInteger> revoked = new HashSet<>();
    if (s != null && s.getRevokedSerials() != null) {
      for (String hex : s.getRevokedSerials()) {
        try {
          revoked.add(new BigInteger(hex.trim().replaceFirst("^0[xX]", "").replace(":", ""), 16));
        } catch (NumberFormatException | NullPointerException e) {
          LOG.warn("Cluster {}: status.revokedSerials entry '{}' is not hex; ignored", id, hex);
        }
      }
    }
    Optional<LatestBundle> published =
        published(c).map(p -> new LatestBundle(p.sequence(), p.digest()));
    long acknowledged =
        s == null || s.getSequence() == null || s.getSequence().getAcknowledged() == null
            ? 0
            : s.getSequence().getAcknowledged();
    return new ClusterEntry(
        id,
        revoked,
        settings(c),
        published,
        acknowledged,
        ClusterEvidence.lastNumber(c),
        currentSerial(id, s));
  }

  private LinkSettings settings(Cluster c) {
    List<Fleet> sameNamespace =
        fleets.getStore().list().stream()
            .filter(
                f -> Objects.equals(f.getMetadata().getNamespace(), c.getMetadata().getNamespace()))
            .toList();
    return Fleets.owner(sameNamespace, c)
        .map(
            f -> {
              try {
                return new LinkSettings(
                    Duration.ofSeconds(orDefault(f.getSpec().getHeartbeatIntervalSeconds())),
                    Duration.ofSeconds(orDefault(f.getSpec().getPollIntervalSeconds())));
              } catch (IllegalArgumentException e) {
                LOG.warn(
                    "Fleet {}: {}; agents get the defaults",
                    f.getMetadata().getName(),
                    e.getMessage());
                return LinkSettings.DEFAULTS;
              }
            })
        .orElse(LinkSettings.DEFAULTS);
  }

  private static long orDefault(Integer seconds) {
    return seconds == null ? 30 : seconds;
  }

  private static Optional<LatestBundle> published(Cluster c) {
    ClusterStatus s = c.getStatus();
    if (s == null
        || s.getPublishedDigest() == null
        || s.getSequence() == null
        || s.getSequence().getPublished() == null) {
      return Optional.empty();
    }
    return Optional.of(new LatestBundle(s.getSequence().getPublished(), s.getPublishedDigest()));
  }

  private Optional<ClusterId> id(Cluster c) {
    try {
      return Optional.of(new ClusterId(c.getMetadata().getNamespace(), c.getMetadata().getName()));
    } catch (LinkException e) {
      return Optional.empty();
    }
  }

  private ResourceEventHandler<Cluster> clusterHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Cluster c) {
        id(c)
            .ifPresent(
                id -> {
                  remember(id, c);
                  changed(id);
                });
      }

      @Override
      public void onUpdate(Cluster old, Cluster c) {
        id(c)
            .ifPresent(
                id -> {
                  remember(id, c);
                  Optional<LatestBundle> before = published(old);
                  Optional<LatestBundle> after = published(c);
                  if (after.isPresent()
                      && (before.isEmpty() || after.get().sequence() > before.get().sequence())) {
                    for (BundleNotifier n : notifiers) {
                      guard(
                          () ->
                              n.bundleAvailable(id, after.get().sequence(), after.get().digest()));
                    }
                  }
                  if (!Objects.equals(revoked(old), revoked(c))
                      || !Objects.equals(certificate(old), certificate(c))
                      || !Objects.equals(before, after)
                      || !Objects.equals(
                          old.getMetadata().getLabels(), c.getMetadata().getLabels())) {
                    changed(id);
                  }
                });
      }

      @Override
      public void onDelete(Cluster c, boolean unknownFinalState) {
        id(c).ifPresent(KubeClusterDirectory.this::changed);
      }
    };
  }

  private ResourceEventHandler<Fleet> fleetHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Fleet f) {
        fleetChanged(f);
      }

      @Override
      public void onUpdate(Fleet old, Fleet f) {
        fleetChanged(f);
      }

      @Override
      public void onDelete(Fleet f, boolean unknownFinalState) {
        fleetChanged(f);
      }
    };
  }

  private void fleetChanged(Fleet f) {
    if (clusters == null) {
      return; // initial list, before the Cluster informer exists
    }
    for (Cluster c : clusters.getStore().list()) {
      if (Objects.equals(c.getMetadata().getNamespace(), f.getMetadata().getNamespace())) {
        id(c).ifPresent(this::changed);
      }
    }
  }

  private static CertificateInfo certificate(Cluster c) {
    return c.getStatus() == null ? null : c.getStatus().getCertificate();
  }

  private static List<String> revoked(Cluster c) {
    return c.getStatus() == null ? null : c.getStatus().getRevokedSerials();
  }

  private void remember(ClusterId id, Cluster c) {
    published(c)
        .ifPresent(
            p -> {
              synchronized (digests) {
                digests.put(p.digest(), id);
              }
            });
  }

  private void changed(ClusterId id) {
    for (Consumer<ClusterId> l : listeners) {
      guard(() -> l.accept(id));
    }
  }

  private static void guard(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("cluster directory listener failed", e);
    }
  }

  @Override
  public void close() {
    if (clusters != null) {
      clusters.close();
    }
    if (fleets != null) {
      fleets.close();
    }
  }
}
