package io.kapro.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.Examples;
import io.kapro.api.Kapro;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.BundleRef;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.HubOperator;
import io.kapro.hub.kube.Times;
import io.kapro.hub.publish.StatusUpdate;
import io.kapro.hub.target.PublishRequest;
import io.kapro.hub.target.PublishedBundle;
import io.kapro.hub.target.TargetPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Target is published once per Publishing phase, even when the reconcile that pushed its bundle
 * fails before moving it to Published (a lost status write, a crash of that reconcile): the retry
 * finishes the publish recorded on the Target instead of issuing a second, higher sequence.
 */
class PublishOnceIT {
  private LocalKubeApi api;
  private KubernetesClient client;
  private HubOperator hub;
  private FakeAgents agents;
  private final MutableClock clock = new MutableClock();
  private RecordingPublisher recording;

  @BeforeEach
  void start() throws Exception {
    api = LocalKubeApi.start();
    client = api.client();
    Path quickstart = Examples.repoRoot().resolve("examples/quickstart");
    try (Stream<Path> files = Files.list(quickstart)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (var m : Examples.read(f)) {
          client.resource(Examples.typed(m.object())).inNamespace("default").create();
        }
      }
    }
    recording = new RecordingPublisher(clock);
    hub =
        HubOperator.start(
            client,
            new LosesFirstStatusWrite(client, recording),
            new HubOperator.Settings(clock, Duration.ofMillis(300)));
    agents = new FakeAgents(client, "default", clock);
  }

  @AfterEach
  void stop() {
    agents.close();
    hub.close();
    api.close();
  }

  @Test
  void aPushWhoseReconcileFailedIsFinishedNotIssuedAgain() {
    String run =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  Promotion p = client.resources(Promotion.class).withName("shop-1-4-0").get();
                  return p.getStatus() == null ? null : p.getStatus().getCurrentRun();
                },
                r -> r != null);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              List<Target> ts =
                  client
                      .resources(Target.class)
                      .withLabel(Kapro.Labels.PROMOTION_RUN, run)
                      .list()
                      .getItems();
              return ts.size() == 1
                  && ts.get(0).getStatus() != null
                  && ts.get(0).getStatus().getPhase() == TargetPhase.Converged;
            });
    Target canary =
        client
            .resources(Target.class)
            .withLabel(Kapro.Labels.PROMOTION_RUN, run)
            .list()
            .getItems()
            .get(0);
    assertThat(recording.published)
        .as("one publish for the canary Target although its first reconcile failed after the push")
        .singleElement()
        .satisfies(r -> assertThat(r.target()).isEqualTo(canary.getMetadata().getName()));
    assertThat(canary.getStatus().getBundle().getSequence()).isEqualTo(1L);
  }

  /** Pushes, records the bundle on the Target (as the real publisher does), then fails once. */
  private static final class LosesFirstStatusWrite implements TargetPublisher {
    private final KubernetesClient client;
    private final TargetPublisher delegate;
    private final Set<String> failed = ConcurrentHashMap.newKeySet();

    LosesFirstStatusWrite(KubernetesClient client, TargetPublisher delegate) {
      this.client = client;
      this.delegate = delegate;
    }

    @Override
    public PublishedBundle publish(PublishRequest r) throws Exception {
      PublishedBundle b = delegate.publish(r);
      StatusUpdate.update(
          client,
          Target.class,
          r.namespace(),
          r.target(),
          t -> {
            BundleRef ref = new BundleRef();
            ref.setSequence(b.sequence());
            ref.setDigest(b.digest());
            ref.setPublishedAt(Times.format(b.publishedAt()));
            ref.setExpiresAt(Times.format(b.expiresAt()));
            t.getStatus().setBundle(ref);
            return true;
          });
      if (failed.add(r.target())) {
        throw new IllegalStateException("status write lost after the push of " + r.target());
      }
      return b;
    }
  }
}
