package io.kapro.hub.gateway;

import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.link.LinkException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A {@link ClusterDirectory} in memory, for tests and demos. */
public final class InMemoryClusterDirectory implements ClusterDirectory {
  private final Map<ClusterId, ClusterEntry> clusters = new ConcurrentHashMap<>();
  private final Map<String, ClusterId> bundles = new ConcurrentHashMap<>();
  private final List<Consumer<ClusterId>> listeners = new CopyOnWriteArrayList<>();

  /** Adds or replaces a cluster with no revocations and default settings. */
  public InMemoryClusterDirectory add(ClusterId id) {
    return put(new ClusterEntry(id, Set.of(), LinkSettings.DEFAULTS, Optional.empty()));
  }

  /** Adds or replaces a cluster. */
  public InMemoryClusterDirectory put(ClusterEntry entry) {
    clusters.put(entry.id(), entry);
    changed(entry.id());
    return this;
  }

  /** Removes a cluster. */
  public void remove(ClusterId id) {
    clusters.remove(id);
    changed(id);
  }

  /** Revokes one certificate serial of {@code id}. */
  public void revoke(ClusterId id, BigInteger serial) {
    clusters.computeIfPresent(
        id,
        (k, e) -> {
          Set<BigInteger> revoked = new HashSet<>(e.revokedSerials());
          revoked.add(serial);
          return new ClusterEntry(
              id,
              revoked,
              e.settings(),
              e.published(),
              e.acknowledgedSequence(),
              e.lastEvidenceNumber(),
              e.currentSerial());
        });
    changed(id);
  }

  /** Records a published bundle for {@code id}. */
  public void publish(ClusterId id, LatestBundle bundle) {
    bundles.put(bundle.digest(), id);
    clusters.computeIfPresent(
        id,
        (k, e) ->
            new ClusterEntry(
                id,
                e.revokedSerials(),
                e.settings(),
                Optional.of(bundle),
                e.acknowledgedSequence(),
                e.lastEvidenceNumber(),
                e.currentSerial()));
    changed(id);
  }

  @Override
  public void recordCertificate(
      ClusterId id, Optional<BigInteger> replaces, X509Certificate issued) {
    boolean[] found = {false};
    clusters.computeIfPresent(
        id,
        (k, e) -> {
          found[0] = true;
          if (replaces.isPresent()
              && e.currentSerial().isPresent()
              && !e.currentSerial().equals(replaces)) {
            throw new LinkException(
                LinkException.Reason.CERTIFICATE_RETIRED,
                "certificate "
                    + replaces.get().toString(16)
                    + " of cluster "
                    + id
                    + " was already replaced by "
                    + e.currentSerial().get().toString(16)
                    + "; it cannot renew");
          }
          return e.withCurrentSerial(issued.getSerialNumber());
        });
    if (!found[0]) {
      throw new LinkException(
          LinkException.Reason.UNKNOWN_CLUSTER, "cluster " + id + " is not known to this hub");
    }
    changed(id);
  }

  @Override
  public Optional<ClusterEntry> find(ClusterId id) {
    return Optional.ofNullable(clusters.get(id));
  }

  @Override
  public Optional<ClusterId> bundleOwner(String digest) {
    return Optional.ofNullable(bundles.get(digest));
  }

  @Override
  public void addListener(Consumer<ClusterId> listener) {
    listeners.add(listener);
  }

  private void changed(ClusterId id) {
    listeners.forEach(l -> l.accept(id));
  }
}
