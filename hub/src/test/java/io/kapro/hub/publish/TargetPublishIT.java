package io.kapro.hub.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.BundleSequence;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.target.PublishException;
import io.kapro.hub.target.PublishedBundle;
import io.kapro.hub.target.TargetReconciler;
import io.kapro.oci.OciException;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.RetryPolicy;
import io.kapro.oci.testing.ForwardingStore;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Target reconciler's publish without a fresh read: the one Target status write (Published with
 * the bundle, before the push, conditioned on the copy's resourceVersion) is the guard against a
 * stale copy, a failed push sends the Target back to Publishing, and a Published Target whose push
 * never finished (the hub stopped) is published again, while one whose push finished is only
 * recorded. Each "other replica" is a new reconciler and publisher: nothing in memory.
 */
class TargetPublishIT {
  private static final Map<String, String> WEB = Map.of("web", "1.0.0");
  private static final String TARGET = "run1-prod-eu-1";

  private final PublishFixture hub = new PublishFixture();

  @AfterEach
  void close() {
    hub.close();
  }

  /** A JOSDK context that offers the client only (all the reconciler asks of it). */
  @SuppressWarnings("unchecked")
  private Context<Target> context() {
    return (Context<Target>)
        Proxy.newProxyInstance(
            Context.class.getClassLoader(),
            new Class<?>[] {Context.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getClient")) {
                return hub.client;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  private TargetReconciler replica() {
    return new TargetReconciler(
        new FleetPublisher(hub.client, hub.clock, new FleetStores(hub.client), RetryPolicy.none()),
        hub.clock);
  }

  private boolean tagged(String cluster, String tag) {
    try (BundleStore store = hub.store()) {
      return store.resolve(hub.repository(cluster), tag).isPresent();
    }
  }

  @Test
  void aStaleCopyStillSayingPublishingIsNotPublishedAgain() throws Exception {
    hub.cluster("eu-1");
    Target stale = hub.target(TARGET, "eu-1", "run1", WEB);
    replica().reconcile(stale, context());
    Target published = hub.getTarget(TARGET);
    assertThat(published.getStatus().getPhase()).isEqualTo(TargetPhase.Published);
    assertThat(published.getStatus().getBundle().getSequence()).isEqualTo(1L);
    assertThat(published.getMetadata().getLabels())
        .containsEntry(Kapro.Labels.PHASE, TargetPhase.Published.name());

    // another replica (or this one, from a cache that lags) still holds the Publishing copy
    replica().reconcile(stale, context());

    Target after = hub.getTarget(TARGET);
    assertThat(after.getStatus().getBundle()).isEqualTo(published.getStatus().getBundle());
    assertThat(after.getStatus().getPhase()).isEqualTo(TargetPhase.Published);
    Cluster c = hub.getCluster("eu-1");
    assertThat(c.getStatus().getSequence().getPublished()).isEqualTo(1L);
    // the second attempt got as far as reserving a number (burnt), never to a push
    assertThat(c.getStatus().getSequence().getReserved()).isEqualTo(2L);
    assertThat(tagged("eu-1", "seq-2")).isFalse();
    assertThat(hub.verify("eu-1", BundleRepository.DESIRED_TAG, 0).payload().sequence())
        .isEqualTo(1L);
  }

  @Test
  void aFailedPushSendsTheTargetBackToPublishingAndTheRetryIssuesAHigherSequence()
      throws Exception {
    hub.cluster("eu-1");
    Target t = hub.target(TARGET, "eu-1", "run1", WEB);
    TargetReconciler dying =
        new TargetReconciler(
            new FleetPublisher(
                hub.client, hub.clock, new FleetStores(hub.client, Dying::new), RetryPolicy.none()),
            hub.clock);
    assertThatThrownBy(() -> dying.reconcile(t, context()))
        .isInstanceOf(PublishException.class)
        .hasMessageContaining("seq-1");
    Target back = hub.getTarget(TARGET);
    assertThat(back.getStatus().getPhase()).isEqualTo(TargetPhase.Publishing);
    assertThat(back.getStatus().getMessage()).startsWith("publish blocked: ");
    Condition published =
        back.getStatus().getConditions().stream()
            .filter(x -> x.getType().equals(Kapro.ConditionTypes.PUBLISHED))
            .findFirst()
            .orElseThrow();
    assertThat(published.getReason()).isEqualTo(Kapro.Reasons.REGISTRY_UNAVAILABLE);
    assertThat(back.getMetadata().getLabels())
        .containsEntry(Kapro.Labels.PHASE, TargetPhase.Publishing.name());

    replica().reconcile(back, context());
    Target after = hub.getTarget(TARGET);
    assertThat(after.getStatus().getPhase()).isEqualTo(TargetPhase.Published);
    assertThat(after.getStatus().getBundle().getSequence()).isEqualTo(2L);
    assertThat(hub.verify("eu-1", BundleRepository.DESIRED_TAG, 0).payload().sequence())
        .isEqualTo(2L);
  }

  @Test
  void aPublishedTargetWhosePushNeverFinishedIsPublishedAgain() throws Exception {
    hub.cluster("eu-1");
    hub.target(TARGET, "eu-1", "run1", WEB);
    // what a hub stopped during the push leaves: the number reserved, the Target moved to
    // Published with the bundle, nothing in the registry, the Cluster's published unchanged
    Cluster c = hub.getCluster("eu-1");
    c.setStatus(new ClusterStatus());
    c.getStatus().setSequence(new BundleSequence());
    c.getStatus().getSequence().setReserved(1L);
    hub.client.resource(c).updateStatus();
    Target t = hub.getTarget(TARGET);
    t.getStatus().setPhase(TargetPhase.Published);
    t.getStatus()
        .setBundle(
            new PublishedBundle(
                    1,
                    "sha256:" + "0".repeat(64),
                    hub.clock.instant(),
                    hub.clock.instant().plus(Duration.ofHours(24)))
                .toRef());
    t = hub.client.resource(t).updateStatus();

    replica().reconcile(t, context());
    Target back = hub.getTarget(TARGET);
    assertThat(back.getStatus().getPhase()).isEqualTo(TargetPhase.Publishing);
    assertThat(back.getStatus().getMessage()).contains("seq-1 was not pushed");

    replica().reconcile(back, context());
    Target after = hub.getTarget(TARGET);
    assertThat(after.getStatus().getPhase()).isEqualTo(TargetPhase.Published);
    assertThat(after.getStatus().getBundle().getSequence()).isEqualTo(2L);
    assertThat(hub.verify("eu-1", BundleRepository.DESIRED_TAG, 0).payload().sequence())
        .isEqualTo(2L);
  }

  @Test
  void aPushWhoseClusterWriteWasLostIsRecordedNotIssuedAgain() throws Exception {
    hub.cluster("eu-1");
    Target t = hub.target(TARGET, "eu-1", "run1", WEB);
    replica().reconcile(t, context());
    Target published = hub.getTarget(TARGET);
    String digest = published.getStatus().getBundle().getDigest();
    // the Cluster write after the push was lost (the hub stopped right after the push)
    Cluster c = hub.getCluster("eu-1");
    c.getStatus().getSequence().setPublished(null);
    c.getStatus().setPublishedDigest(null);
    hub.client.resource(c).updateStatus();

    replica().reconcile(published, context());

    Cluster after = hub.getCluster("eu-1");
    assertThat(after.getStatus().getSequence().getPublished()).isEqualTo(1L);
    assertThat(after.getStatus().getPublishedDigest()).isEqualTo(digest);
    assertThat(after.getStatus().getSequence().getReserved()).isEqualTo(1L);
    assertThat(hub.getTarget(TARGET).getStatus().getBundle())
        .isEqualTo(published.getStatus().getBundle());
    assertThat(hub.getTarget(TARGET).getStatus().getPhase()).isEqualTo(TargetPhase.Published);
    assertThat(tagged("eu-1", "seq-2")).isFalse();
  }

  /**
   * Confirming a Published Target's push reads the Cluster from the cache: when the registry shows
   * the bundle went out, the lost Cluster write is redone from the cached copy (one PATCH, no GET;
   * before, issue 21 review: a GET and a PATCH), and the answer is remembered: the next attempt
   * costs nothing although the cache has not caught up.
   */
  @Test
  void aLostClusterWriteIsRedoneFromTheCachedClusterAndConfirmedOnce() throws Exception {
    hub.cluster("eu-1");
    Target t = hub.target(TARGET, "eu-1", "run1", WEB);
    replica().reconcile(t, context());
    Target published = hub.getTarget(TARGET);
    String digest = published.getStatus().getBundle().getDigest();
    Cluster c = hub.getCluster("eu-1");
    c.getStatus().getSequence().setPublished(null);
    c.getStatus().setPublishedDigest(null);
    Cluster cached = hub.client.resource(c).updateStatus(); // what a synced informer holds
    TargetReconciler replica =
        new TargetReconciler(
            new FleetPublisher(
                hub.client,
                hub.clock,
                new FleetStores(hub.client),
                RetryPolicy.none(),
                new FleetPublisher.Caches(
                    id -> java.util.Optional.of(cached),
                    (ns, name) ->
                        java.util.Optional.of(
                            hub.client
                                .resources(io.kapro.api.v1alpha2.Fleet.class)
                                .inNamespace(ns)
                                .withName(name)
                                .get()),
                    Duration.ofMinutes(10))),
            hub.clock);

    Map<String, Long> before = hub.api.requests().snapshot();
    replica.reconcile(published, context());
    Map<String, Long> first =
        io.kapro.api.testing.ApiRequestCounts.delta(before, hub.api.requests().snapshot());
    first.keySet().removeIf(k -> k.endsWith(" fleets")); // the test's own Fleet "cache"
    assertThat(first).isEqualTo(Map.of("patch clusters/status", 1L));
    assertThat(hub.getCluster("eu-1").getStatus().getPublishedDigest()).isEqualTo(digest);

    Map<String, Long> before2 = hub.api.requests().snapshot();
    replica.reconcile(published, context());
    Map<String, Long> again =
        io.kapro.api.testing.ApiRequestCounts.delta(before2, hub.api.requests().snapshot());
    assertThat(again).isEmpty();
    assertThat(hub.getTarget(TARGET).getStatus().getPhase()).isEqualTo(TargetPhase.Published);
  }

  /** A store whose process dies after the seq tag was pushed, before the desired tag. */
  private static final class Dying extends ForwardingStore {
    Dying(BundleStore delegate) {
      super(delegate);
    }

    @Override
    public void putManifest(String repository, String reference, byte[] manifest) {
      if (reference.equals(BundleRepository.DESIRED_TAG)) {
        throw new OciException(
            OciException.Reason.UNREACHABLE, "hub killed before moving the desired tag");
      }
      delegate.putManifest(repository, reference, manifest);
    }
  }
}
