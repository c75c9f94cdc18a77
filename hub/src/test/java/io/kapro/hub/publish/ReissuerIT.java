package io.kapro.hub.publish;

import static io.kapro.hub.publish.PublishFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kapro.api.testing.ApiRequestCounts;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.cluster.KubeClusterDirectory;
import io.kapro.hub.target.PublishedBundle;
import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.store.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bundles are re-issued (new sequence, same content) before they expire, on a controlled clock. */
class ReissuerIT {
  private final PublishFixture hub = new PublishFixture();

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  void aBundleIsReissuedWithinReissueBeforeOfItsExpiryWithTheSameUnits() {
    hub.fleet("1h", "20m");
    hub.cluster("eu-1");
    hub.cluster("eu-2");
    hub.cluster("idle"); // never published: nothing to re-issue
    FleetPublisher publisher = hub.publisher();
    PublishedBundle first =
        publisher.publish(request(null, "eu-1", "run1", Map.of("web", "1.0.0", "api", "2.0.0")));
    hub.clock.advance(Duration.ofMinutes(10));
    publisher.publish(request(null, "eu-2", "run1", Map.of("web", "1.0.0")));
    var eu2Units = hub.verify("eu-2", BundleRepository.DESIRED_TAG, 0).payload().units();
    Reissuer reissuer = new Reissuer(publisher, hub.client, PublishFixture.NS);

    hub.clock.advance(Duration.ofMinutes(29)); // eu-1 expires in 21 min: not yet
    assertThat(reissuer.sweep()).isEmpty();

    hub.clock.advance(Duration.ofMinutes(2)); // eu-1 in 19 min (due), eu-2 in 29 min (not)
    List<PublishedBundle> reissued = reissuer.sweep();
    assertThat(reissued)
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.sequence()).isEqualTo(2);
              assertThat(b.expiresAt()).isEqualTo(hub.clock.instant().plus(Duration.ofHours(1)));
            });
    BundlePayload again =
        hub.verify("eu-1", BundleRepository.DESIRED_TAG, first.sequence()).payload();
    BundlePayload before = hub.verify("eu-1", first.digest(), 0).payload();
    assertThat(again.sequence()).isEqualTo(2);
    assertThat(again.units()).isEqualTo(before.units());
    assertThat(again.run()).isEqualTo("run1");
    assertThat(hub.getCluster("eu-1").getStatus().getSequence().getPublished()).isEqualTo(2);
    assertThat(reissuer.sweep()).isEmpty();

    // A long outage: the bundle has already expired; it is still re-issued, fresh.
    hub.clock.advance(Duration.ofHours(5));
    assertThat(reissuer.sweep()).hasSize(2);
    assertThat(hub.verify("eu-2", BundleRepository.DESIRED_TAG, 1).payload().units())
        .isEqualTo(eu2Units);
  }

  /**
   * A sweep reads Clusters and Fleets from the hub's caches: the sweep's one LIST of Clusters, and
   * no Cluster GET or Fleet LIST per cluster (before, issue 21 review: one of each per published
   * cluster every 5 minutes, and a Cluster GET per unpublished one).
   */
  @Test
  void aSweepReadsEachClusterAndItsFleetFromTheCaches() {
    hub.fleet("1h", "20m");
    hub.cluster("eu-1");
    hub.cluster("eu-2");
    hub.cluster("idle");
    try (KubeClusterDirectory directory = KubeClusterDirectory.start(hub.client, null)) {
      FleetPublisher publisher =
          new FleetPublisher(
              hub.client,
              hub.clock,
              new FleetStores(hub.client),
              RetryPolicy.none(),
              new FleetPublisher.Caches(
                  directory::cached,
                  directory::cachedFleet,
                  directory::cachedFleets,
                  Duration.ofMinutes(10)));
      publisher.publish(request(null, "eu-1", "run1", Map.of("web", "1.0.0")));
      publisher.publish(request(null, "eu-2", "run1", Map.of("web", "1.0.0")));
      for (String c : List.of("eu-1", "eu-2")) {
        String rv = hub.getCluster(c).getMetadata().getResourceVersion();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    directory
                        .cached(new ClusterId(PublishFixture.NS, c))
                        .map(x -> rv.equals(x.getMetadata().getResourceVersion()))
                        .orElse(false));
      }
      // without caches (the requests every sweep made before): per cluster a GET, per published
      // one a LIST of its namespace's Fleets
      Map<String, Long> before0 = hub.api.requests().snapshot();
      assertThat(new Reissuer(hub.publisher(), hub.client, PublishFixture.NS).sweep()).isEmpty();
      assertThat(ApiRequestCounts.delta(before0, hub.api.requests().snapshot()))
          .containsEntry("list clusters", 1L)
          .containsEntry("get clusters", 3L)
          .containsEntry("list fleets", 2L);

      Reissuer reissuer = new Reissuer(publisher, hub.client, PublishFixture.NS);
      Map<String, Long> before = hub.api.requests().snapshot();
      assertThat(reissuer.sweep()).isEmpty();
      assertThat(ApiRequestCounts.delta(before, hub.api.requests().snapshot()))
          .isEqualTo(Map.of("list clusters", 1L));

      hub.clock.advance(Duration.ofMinutes(45)); // both due
      assertThat(reissuer.sweep()).hasSize(2);
    }
  }

  /**
   * A cache that has not seen the cluster's last publish must not bring an older bundle's units
   * back: the re-issue is checked against the Cluster as its reservation wrote it.
   */
  @Test
  void aStaleCachedClusterDoesNotReissueAnOlderBundle() {
    hub.fleet("1h", "20m");
    hub.cluster("eu-1");
    FleetPublisher direct = hub.publisher();
    direct.publish(request(null, "eu-1", "run1", Map.of("web", "1.0.0")));
    Cluster stale = hub.getCluster("eu-1");
    hub.clock.advance(Duration.ofMinutes(30));
    PublishedBundle newer = direct.publish(request(null, "eu-1", "run2", Map.of("web", "2.0.0")));
    hub.clock.advance(Duration.ofMinutes(15)); // the first bundle is due, the newer one is not
    FleetPublisher cached =
        new FleetPublisher(
            hub.client,
            hub.clock,
            new FleetStores(hub.client),
            RetryPolicy.none(),
            new FleetPublisher.Caches(
                id -> Optional.of(stale),
                (ns, name) -> Optional.empty(),
                ns -> Optional.empty(),
                Duration.ZERO));
    assertThat(cached.reissueIfDue(new ClusterId(PublishFixture.NS, "eu-1"))).isEmpty();
    BundlePayload desired = hub.verify("eu-1", BundleRepository.DESIRED_TAG, 0).payload();
    assertThat(desired.run()).isEqualTo("run2");
    assertThat(hub.getCluster("eu-1").getStatus().getPublishedDigest()).isEqualTo(newer.digest());
  }
}
