package io.kapro.hub.source;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.Conditions;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.Source;
import io.kapro.api.v1alpha2.SourceSpec;
import io.kapro.api.v1alpha2.SourceStatus;
import io.kapro.hub.HubOperator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** The running hub's operator on the local API server, Fleet {@code shop} with unit {@code web}. */
final class SourceTestbed implements AutoCloseable {
  final LocalKubeApi api;
  final KubernetesClient client;
  private final HubOperator hub;

  SourceTestbed() {
    api = LocalKubeApi.start();
    client = api.client();
    hub =
        HubOperator.start(
            client,
            r -> {
              throw new IllegalStateException("no publishing in this test");
            },
            new HubOperator.Settings(Clock.systemUTC(), Duration.ofSeconds(30)));
    SourceFixtures.fleet(client, null, "web");
  }

  /** Creates Source {@code name} for unit web of fleet shop, checked every hour. */
  Source source(String name, Consumer<SourceSpec> subscription) {
    Source s = new Source();
    s.getMetadata().setName(name);
    SourceSpec spec = new SourceSpec();
    spec.setFleet("shop");
    spec.setUnit("web");
    spec.setInterval("1h");
    subscription.accept(spec);
    s.setSpec(spec);
    return client.resource(s).inNamespace("default").create();
  }

  /** Asks for a check now, as {@code kapro sources --check} does. */
  void checkNow(String name) {
    client
        .resources(Source.class)
        .inNamespace("default")
        .withName(name)
        .edit(
            cur -> {
              Map<String, String> a = new HashMap<>();
              if (cur.getMetadata().getAnnotations() != null) {
                a.putAll(cur.getMetadata().getAnnotations());
              }
              a.put(SourceReconciler.CHECK_REQUESTED_AT, Instant.now() + "/" + System.nanoTime());
              cur.getMetadata().setAnnotations(a);
              return cur;
            });
  }

  SourceStatus awaitStatus(String name, Predicate<SourceStatus> done) {
    return SourceFixtures.awaitStatus(client, name, done);
  }

  /** The status once Ready has {@code reason}. */
  SourceStatus awaitReason(String name, String reason) {
    return awaitStatus(name, st -> ready(st) != null && reason.equals(ready(st).getReason()));
  }

  static Condition ready(SourceStatus s) {
    return Conditions.find(s.getConditions(), "Ready").orElse(null);
  }

  @Override
  public void close() {
    hub.close();
    api.close();
  }
}
