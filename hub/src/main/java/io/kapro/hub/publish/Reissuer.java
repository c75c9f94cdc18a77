package io.kapro.hub.publish;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.target.PublishedBundle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps bundles fresh: a periodic sweep over Clusters re-issues (new sequence, same content) every
 * bundle that expires within its Fleet's {@code reissueBefore}, so no agent meets an expired bundle
 * while the desired state is unchanged. Time comes from the publisher's clock. Run it on the
 * leader.
 */
public final class Reissuer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reissuer.class);

  private final FleetPublisher publisher;
  private final KubernetesClient client;
  private final String namespace;
  private final BooleanSupplier leading;
  private ScheduledExecutorService timer;

  /**
   * @param namespace the namespace to sweep, or null for all
   */
  public Reissuer(FleetPublisher publisher, KubernetesClient client, String namespace) {
    this(publisher, client, namespace, () -> true);
  }

  /**
   * @param namespace the namespace to sweep, or null for all
   * @param leading asked before each timed sweep: replicas that do not lead skip it
   */
  public Reissuer(
      FleetPublisher publisher,
      KubernetesClient client,
      String namespace,
      BooleanSupplier leading) {
    this.publisher = publisher;
    this.client = client;
    this.namespace = namespace;
    this.leading = leading;
  }

  /** One pass; returns what was re-issued. A failing cluster is logged and skipped. */
  public List<PublishedBundle> sweep() {
    List<Cluster> clusters =
        namespace == null
            ? client.resources(Cluster.class).inAnyNamespace().list().getItems()
            : client.resources(Cluster.class).inNamespace(namespace).list().getItems();
    List<PublishedBundle> out = new ArrayList<>();
    for (Cluster c : clusters) {
      try {
        ClusterId id = new ClusterId(c.getMetadata().getNamespace(), c.getMetadata().getName());
        Optional<PublishedBundle> b = publisher.reissueIfDue(id);
        b.ifPresent(out::add);
      } catch (RuntimeException e) {
        LOG.warn(
            "re-issuing the bundle of {}/{} failed: {}",
            c.getMetadata().getNamespace(),
            c.getMetadata().getName(),
            e.getMessage());
      }
    }
    return out;
  }

  /** Sweeps every {@code interval} on a daemon thread until closed. */
  public synchronized Reissuer start(Duration interval) {
    if (timer == null) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> Thread.ofPlatform().daemon().name("kapro-reissuer").unstarted(r));
      timer.scheduleWithFixedDelay(
          () -> {
            if (leading.getAsBoolean()) {
              sweep();
            }
          },
          interval.toMillis(),
          interval.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    return this;
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }
}
