package io.kapro.hub.publish;

import static io.kapro.hub.publish.PublishFixture.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.Operator;
import io.kapro.api.Kapro;
import io.kapro.api.testing.ApiRequestCounts;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.cluster.KubeClusterDirectory;
import io.kapro.hub.target.TargetReconciler;
import io.kapro.oci.store.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Publishing holds to its API budget (docs/design/api-budget.md), counted on the local API server:
 * the real Target reconciler on a JOSDK operator and the real publisher reading the hub's informer
 * caches publish a small fleet, each bundle with no read and four writes (the Cluster's sequence
 * reserved before the push and recorded as published after it, the Target's one status write, its
 * phase label). Counts do not depend on load.
 */
class PublishBudgetIT {
  private static final int CLUSTERS = 3;

  private final PublishFixture hub = new PublishFixture();
  private final KubeClusterDirectory directory = KubeClusterDirectory.start(hub.client, null);
  private final FleetPublisher publisher =
      new FleetPublisher(
          hub.client,
          hub.clock,
          new FleetStores(hub.client),
          RetryPolicy.none(),
          new FleetPublisher.Caches(
              directory::cached, directory::cachedFleet, Duration.ofMinutes(10)));
  private Operator operator;
  private SharedIndexInformer<Target> targets;

  @AfterEach
  void close() {
    if (operator != null) {
      operator.stop();
    }
    if (targets != null) {
      targets.close();
    }
    directory.close();
    hub.close();
  }

  @Test
  void aBundleCostsNoReadAndFourWrites() {
    List<String> clusters = new ArrayList<>();
    for (int i = 0; i < CLUSTERS; i++) {
      clusters.add("eu-" + i);
      hub.cluster("eu-" + i);
      // as the engine leaves it: phase Publishing, label still Pending (its creation's)
      Target t = hub.target("run1-prod-eu-" + i, "eu-" + i, "run1", Map.of("web", "1.0.0"));
      Map<String, String> labels = new HashMap<>(t.getMetadata().getLabels());
      labels.put(Kapro.Labels.PHASE, TargetPhase.Pending.name());
      t.getMetadata().setLabels(labels);
      hub.client.resource(t).update();
    }
    // the signing key is read once per recheck interval, not per bundle: read it before counting
    hub.cluster("warm-up");
    publisher.publish(PublishFixture.request(null, "warm-up", "run0", Map.of("web", "0.1.0")));
    cachesCaughtUp(clusters);
    // the test watches through caches of its own: its waiting must not count
    targets = hub.client.resources(Target.class).inNamespace(NS).inform();

    Map<String, Long> before = hub.api.requests().snapshot();
    operator = new Operator(o -> o.withKubernetesClient(hub.client).withCloseClientOnStop(false));
    operator.register(
        new TargetReconciler(publisher, hub.clock),
        c -> c.withName("target").withGenerationAware(false));
    operator.start();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                clusters.stream()
                    .allMatch(
                        c -> {
                          Target t = targets.getStore().getByKey(NS + "/run1-prod-" + c);
                          Cluster cl = directory.cached(new ClusterId(NS, c)).orElseThrow();
                          return t.getStatus().getPhase() == TargetPhase.Published
                              && TargetPhase.Published.name()
                                  .equals(t.getMetadata().getLabels().get(Kapro.Labels.PHASE))
                              && cl.getStatus().getSequence() != null
                              && cl.getStatus().getSequence().getPublished() != null;
                        }));
    // the reconciles that the publish's own writes start (from caches that may lag) add nothing
    Map<String, Long> counts = settled(before);
    // the operator's start-up and the test's informer: a LIST and a WATCH of Targets each,
    // whatever the fleet's size
    assertThat(counts.remove("list targets")).isBetween(1L, 2L);
    assertThat(counts.remove("watch targets")).isBetween(1L, 2L);
    long n = CLUSTERS;
    assertThat(counts)
        .as("API requests for %d bundles by verb and resource", n)
        .isEqualTo(
            Map.of("patch clusters/status", 2 * n, "patch targets/status", n, "patch targets", n));
    assertThat(ApiRequestCounts.writes(counts)).isEqualTo(4 * n);
    for (String c : clusters) {
      Target t = hub.getTarget("run1-prod-" + c);
      Cluster cl = hub.getCluster(c);
      assertThat(t.getStatus().getBundle().getSequence())
          .isEqualTo(cl.getStatus().getSequence().getPublished())
          .isEqualTo(1L);
      assertThat(t.getStatus().getBundle().getDigest())
          .isEqualTo(cl.getStatus().getPublishedDigest());
      assertThat(hub.verify(c, "desired", 0).payload().sequence()).isEqualTo(1L);
    }
  }

  private void cachesCaughtUp(List<String> clusters) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                directory.cachedFleet(NS, PublishFixture.FLEET).isPresent()
                    && clusters.stream()
                        .allMatch(
                            c ->
                                directory
                                    .cached(new ClusterId(NS, c))
                                    .map(x -> x.getMetadata().getResourceVersion())
                                    .filter(
                                        rv ->
                                            Objects.equals(
                                                rv,
                                                hub.getCluster(c)
                                                    .getMetadata()
                                                    .getResourceVersion()))
                                    .isPresent()));
  }

  /** The requests since {@code before}, once no new one came for a second. */
  private Map<String, Long> settled(Map<String, Long> before) {
    AtomicReference<Map<String, Long>> last = new AtomicReference<>(Map.of());
    long[] stableSince = {System.nanoTime()};
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              Map<String, Long> now = hub.api.requests().snapshot();
              if (!now.equals(last.get())) {
                last.set(now);
                stableSince[0] = System.nanoTime();
              }
              return System.nanoTime() - stableSince[0] > Duration.ofSeconds(1).toNanos();
            });
    return new HashMap<>(ApiRequestCounts.delta(before, last.get()));
  }
}
