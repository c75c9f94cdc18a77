package io.kapro.hub.airgap;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.gateway.ClusterDirectory;
import io.kapro.hub.gateway.EvidenceBatch;
import io.kapro.hub.gateway.EvidenceSink;
import io.kapro.hub.link.LinkException;
import io.kapro.hub.publish.FleetConfig;
import io.kapro.hub.publish.FleetStores;
import io.kapro.hub.publish.Fleets;
import io.kapro.hub.target.PublishException;
import io.kapro.oci.OciException;
import io.kapro.oci.evidence.EvidenceVerifier;
import io.kapro.oci.mirror.RepositoryKind;
import io.kapro.oci.store.BundleStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On an interval, reads every known Cluster's evidence repository ({@code <prefix>/<namespace>/
 * <cluster>/evidence}) in its Fleet's registry and writes what is new through the gateway's {@link
 * EvidenceSink}: the same status writes, the same idempotency by evidence number (an artifact
 * imported twice, or evidence that also came over the link, is a no-op).
 */
public final class EvidenceImporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EvidenceImporter.class);

  /**
   * What one pass did.
   *
   * @param clusters clusters whose evidence repository was read
   * @param imported evidence items written
   * @param refused artifacts refused (named in the log)
   */
  public record Pass(int clusters, int imported, int refused) {}

  private final KubernetesClient client;
  private final FleetStores stores;
  private final EvidenceSink sink;
  private final ClusterArtifacts artifacts;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private ScheduledExecutorService scheduler;

  /**
   * @param authorities the hub CA certificate(s): evidence must be signed by a key they certified
   */
  public EvidenceImporter(
      KubernetesClient client,
      FleetStores stores,
      ClusterDirectory directory,
      EvidenceSink sink,
      Collection<X509Certificate> authorities,
      Clock clock) {
    this(client, stores, directory, sink, authorities, clock, EvidenceVerifier.DEFAULT_MAX_AGE);
  }

  /**
   * @param maxAge the oldest an artifact's {@code created} time may be at import (older ones are
   *     refused as stale or backdated)
   */
  public EvidenceImporter(
      KubernetesClient client,
      FleetStores stores,
      ClusterDirectory directory,
      EvidenceSink sink,
      Collection<X509Certificate> authorities,
      Clock clock,
      Duration maxAge) {
    this.client = client;
    this.stores = stores;
    this.sink = sink;
    this.artifacts =
        new ClusterArtifacts(
            new EvidenceVerifier(authorities, clock, EvidenceVerifier.DEFAULT_MAX_PAYLOAD, maxAge),
            directory);
  }

  /** One pass over every Cluster. */
  public synchronized Pass importOnce() {
    List<Cluster> clusters = client.resources(Cluster.class).inAnyNamespace().list().getItems();
    int read = 0;
    int imported = 0;
    int refused = 0;
    for (Cluster c : clusters) {
      ClusterId id = new ClusterId(c.getMetadata().getNamespace(), c.getMetadata().getName());
      try {
        Optional<Source> source = source(c);
        if (source.isEmpty()) {
          continue;
        }
        read++;
        ClusterArtifacts.Read r =
            artifacts.read(
                source.get().store(), source.get().repository(), id, sink.appliedUpTo(id));
        for (String message : r.refused()) {
          refused++;
          if (reported.add(message)) {
            LOG.warn("{}: {}", id, message);
          }
        }
        if (!r.items().isEmpty()) {
          sink.write(id, new EvidenceBatch(r.items()));
          imported += r.items().size();
          LOG.info(
              "{}: imported evidence {}..{} from {}",
              id,
              number(r.items().get(0)),
              number(r.items().get(r.items().size() - 1)),
              source.get().repository());
        }
      } catch (OciException | LinkException | PublishException | KubernetesClientException e) {
        LOG.warn("{}: evidence artifacts not imported this time: {}", id, e.getMessage());
      }
    }
    return new Pass(read, imported, refused);
  }

  private record Source(BundleStore store, String repository) {}

  private Optional<Source> source(Cluster c) {
    Optional<Fleet> fleet = Fleets.of(client, c);
    if (fleet.isEmpty()) {
      return Optional.empty();
    }
    FleetConfig config = FleetConfig.of(fleet.get());
    BundleStore store = stores.open(config);
    String repo = RepositoryKind.evidenceRepository(config.repository(c.getMetadata().getName()));
    return store.listTags(repo).isEmpty() ? Optional.empty() : Optional.of(new Source(store, repo));
  }

  private static long number(io.kapro.agent.v1.AgentMessage m) {
    return m.hasEvidence() ? m.getEvidence().getNumber() : m.getRejection().getNumber();
  }

  /** Runs a pass every {@code interval} on a daemon thread until closed. */
  public synchronized EvidenceImporter start(Duration interval) {
    return start(interval, () -> true);
  }

  /** Imports every {@code interval} while {@code leading} says this replica leads. */
  public synchronized EvidenceImporter start(Duration interval, BooleanSupplier leading) {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("kapro-evidence-import").unstarted(r));
    scheduler.scheduleWithFixedDelay(
        () -> {
          if (!leading.getAsBoolean()) {
            return;
          }
          try {
            importOnce();
          } catch (RuntimeException e) {
            LOG.warn("evidence import pass failed: {}", e.toString());
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
    return this;
  }

  @Override
  public void close() {
    ScheduledExecutorService s;
    synchronized (this) {
      s = scheduler;
      scheduler = null;
    }
    if (s != null) {
      s.shutdownNow();
    }
  }
}
