package io.kapro.e2e.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.hub.Hub;
import io.kapro.hub.HubSettings;
import io.kapro.hub.ca.HubCa;
import io.kapro.hub.ca.SecretCaStore;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.testing.LocalRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The hub side of a benchmark, on loopback: the local API server (fabric8 mock, CRUD mode), the
 * real distribution registry, the real {@link Hub} (gateway, publisher, reconcilers), a Fleet
 * {@code bench} with one Flux unit {@code web}, its signing Secret, a one-stage Plan {@code all}
 * and {@code n} Clusters {@code c-00000…}.
 */
final class HubWorld implements AutoCloseable {
  static final String NS = "bench";
  static final String HUB_NS = "kapro-system";
  static final String FLEET = "bench";
  static final String PLAN = "all";

  final LocalKubeApi api;
  final KubernetesClient client;
  final LocalRegistry registry;
  final SigningKey key = SigningKey.generate();
  final Hub hub;
  final List<String> clusters = new ArrayList<>();
  private final List<AutoCloseable> resources = new ArrayList<>();

  HubWorld(int n) {
    try {
      api = LocalKubeApi.start();
      resources.add(api);
      client = api.newClient(NS);
      resources.add(client);
      registry = LocalRegistry.startPlain();
      resources.add(registry);
      applyFleet();
      createClusters(n);
      hub =
          Hub.start(
              api.client(),
              new HubSettings(
                  HUB_NS,
                  "127.0.0.1",
                  0,
                  List.of("localhost", "127.0.0.1"),
                  "127.0.0.1",
                  0,
                  "kapro-hub-ca",
                  false,
                  Duration.ofSeconds(5),
                  Duration.ofMinutes(10)),
              Clock.systemUTC());
      resources.add(hub);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  static String clusterName(int i) {
    return "c-%05d".formatted(i);
  }

  /** The hub CA, loaded from its Secret (agents' client certificates are issued from it). */
  HubCa ca() {
    return HubCa.loadOrCreate(
        new SecretCaStore(api.client(), HUB_NS, "kapro-hub-ca"), Clock.systemUTC());
  }

  private void applyFleet() {
    Secret signing =
        new SecretBuilder()
            .withNewMetadata()
            .withName("kapro-signing")
            .endMetadata()
            .addToStringData("cosign.key", key.privateKeyPem())
            .build();
    client.secrets().inNamespace(NS).resource(signing).create();
    create(
        Fleet.class,
        """
        apiVersion: kapro.io/v1alpha2
        kind: Fleet
        metadata: {name: %s}
        spec:
          registry: {url: "%s", repositoryPrefix: kapro, insecure: true, allowPrivateNetwork: true}
          signing: {keySecretRef: {name: kapro-signing}}
          bundleTTL: 24h
          clusterSelector: {matchLabels: {fleet: bench}}
          units:
            - {name: web, backend: Flux, kind: HelmRelease, objectRef: {namespace: shop, name: web}, field: chartVersion}
        """
            .formatted(FLEET, registry.host()));
    create(
        Plan.class,
        """
        apiVersion: kapro.io/v1alpha2
        kind: Plan
        metadata: {name: %s}
        spec:
          stages:
            - name: all
              selector: {matchLabels: {fleet: bench}}
        """
            .formatted(PLAN));
  }

  private void createClusters(int n) {
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String name = clusterName(i);
        clusters.add(name);
        fs.add(
            pool.submit(
                () ->
                    create(
                        Cluster.class,
                        """
                        apiVersion: kapro.io/v1alpha2
                        kind: Cluster
                        metadata: {name: %s, labels: {fleet: bench}}
                        spec: {displayName: %s}
                        """
                            .formatted(name, name))));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("creating Clusters failed: " + e, e);
    }
  }

  <T extends HasMetadata> T create(Class<T> type, String yaml) {
    T o = client.getKubernetesSerialization().unmarshal(yaml, type);
    return client.resource(o).inNamespace(NS).create();
  }

  @Override
  public void close() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        // best effort
      }
    }
  }
}
