package io.kapro.e2e.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.testing.ApiKind;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.ca.HubCa;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.RegistryConfig;
import io.kapro.oci.store.RegistryStore;
import io.kapro.oci.verify.BundleVerifier;
import io.kapro.oci.verify.ClusterIdentity;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code m} simulated agents for the first {@code m} Clusters of a {@link HubWorld}: client
 * certificates from the hub CA, one shared spoke API server holding each cluster's HelmRelease
 * {@code <cluster>/web}, one shared registry client, a virtual-thread executor for pulls.
 */
final class AgentFleet implements AutoCloseable {
  final LocalKubeApi spokeApi;
  final KubernetesClient spoke;
  final RegistryStore store;
  final List<SimAgent> agents = new ArrayList<>();
  final List<KeyPair> keys = new ArrayList<>();
  final List<X509Certificate> certs = new ArrayList<>();
  final List<X509Certificate> anchors;
  final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
  private final java.util.concurrent.ScheduledExecutorService heartbeats =
      Executors.newSingleThreadScheduledExecutor();
  private final HubWorld world;

  AgentFleet(HubWorld world, int m) {
    this.world = world;
    spokeApi = LocalKubeApi.start(ApiKind.FLUX_AND_ARGO);
    spoke = spokeApi.newClient("default");
    store = new RegistryStore(RegistryConfig.plainHttp(world.registry.host()));
    HubCa ca = world.ca();
    anchors = ca.trustAnchors();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < m; i++) {
        String name = world.clusters.get(i);
        KeyPair kp = HubCa.newKeyPair();
        keys.add(kp);
        certs.add(
            ca.issueClient(new ClusterId(HubWorld.NS, name), kp.getPublic(), Duration.ofDays(1)));
        fs.add(pool.submit(() -> seed(name)));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } catch (Exception e) {
      close();
      throw new IllegalStateException("seeding the spoke API failed: " + e, e);
    }
  }

  private void seed(String cluster) {
    spoke
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(cluster).endMetadata().build())
        .create();
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(ApiKind.FLUX_HELM_RELEASE.apiVersion());
    r.setKind(ApiKind.FLUX_HELM_RELEASE.kind());
    r.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace(cluster).build());
    r.setAdditionalProperty(
        "spec", Map.of("interval", "10m", "chart", Map.of("spec", Map.of("version", "1.0.0"))));
    spoke
        .genericKubernetesResources(SimAgent.HELM_RELEASE)
        .inNamespace(cluster)
        .resource(r)
        .create();
  }

  /** Starts one simulated agent per seeded cluster against {@code port} and says hello. */
  void connect(int port) {
    TrustedKeys trusted = TrustedKeys.of(world.key.publicKey());
    for (int i = 0; i < keys.size(); i++) {
      String name = world.clusters.get(i);
      BundleVerifier verifier =
          BundleVerifier.builder(trusted, new ClusterIdentity(HubWorld.NS, name))
              .patchPolicy(
                  (unit, field) ->
                      unit.object().kind().equals("HelmRelease")
                              && field.path().equals("spec.chart.spec.version")
                          ? Optional.empty()
                          : Optional.of("only spec.chart.spec.version of HelmReleases"))
              .build();
      SimAgent a =
          new SimAgent(
              HubWorld.NS,
              name,
              BundleRepository.of("kapro", HubWorld.NS, name),
              port,
              keys.get(i),
              certs.get(i),
              anchors,
              store,
              verifier,
              spoke,
              work);
      agents.add(a);
      a.connect();
    }
    List<SimAgent> connected = List.copyOf(agents);
    heartbeats.scheduleWithFixedDelay(
        () -> connected.forEach(SimAgent::heartbeat),
        15,
        15,
        java.util.concurrent.TimeUnit.SECONDS);
  }

  void disconnect() {
    agents.forEach(SimAgent::close);
    agents.clear();
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
    disconnect();
    work.close();
    try {
      store.close();
    } catch (Exception e) {
      // best effort
    }
    spoke.close();
    spokeApi.close();
  }
}
