package io.kapro.e2e.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.BundleRef;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.TargetSpec;
import io.kapro.api.v1alpha2.TargetStatus;
import io.kapro.api.v1alpha2.UnitVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 5: the hub's memory and CPU with {@code n} Clusters and one Published Target each in
 * the API. The hub runs as its own process ({@link HubProcess}) against the local API server, so
 * its heap and CPU are its own: time until its start-up work is done (informers synced, every
 * Cluster and Target reconciled once; the CPU falls quiet), CPU used for that, heap used after a
 * full GC, RSS, and CPU over an idle minute.
 */
final class HubScale {
  private static final Logger LOG = LoggerFactory.getLogger(HubScale.class);

  private HubScale() {}

  /**
   * The hub's figures once it has started ({@code t0}: when its process was launched): start-up
   * work, heap before and after a full GC, RSS, then CPU over {@code idle}.
   */
  static Map<String, Object> measure(HubProcess hub, long t0, Duration idle) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("startedSeconds", hub.startedSeconds);
    double[] busy = hub.awaitQuiet(Duration.ofMinutes(8));
    out.put("startupWorkSeconds", Stats.round((System.nanoTime() - t0) / 1e9));
    out.put("startupCpuSeconds", Stats.round(busy[0]));
    out.put("startupWorkDone", busy[1] > 0); // false: still busy after 8 minutes
    out.put("heapUsedMiBBeforeGc", hub.heapUsedMiB(false));
    out.put("heapUsedMiBAfterFullGc", hub.heapUsedMiB(true));
    out.put("rssMiB", hub.rssMiB());
    double cpu0 = hub.cpuSeconds();
    TimeUnit.NANOSECONDS.sleep(idle.toNanos()); // the idle window itself
    out.put("idleSeconds", idle.toSeconds());
    out.put("idleCpuSeconds", Stats.round(hub.cpuSeconds() - cpu0));
    out.put("heapUsedMiBAfterIdle", hub.heapUsedMiB(false));
    out.put("rssMiBAfterIdle", hub.rssMiB());
    out.put("alive", hub.process.isAlive());
    out.put("jvm", hub.jvm());
    LOG.info("hub at scale: {}", out);
    return out;
  }

  /**
   * The Fleet {@code bench} (units {@code web}; its registry is never reached) and {@code n}
   * Clusters labelled for it, each with one Published Target when {@code withTargets}.
   */
  static void populate(KubernetesClient client, int n, boolean withTargets) throws Exception {
    client
        .resource(
            client
                .getKubernetesSerialization()
                .unmarshal(
                    """
                    apiVersion: kapro.io/v1alpha2
                    kind: Fleet
                    metadata: {name: bench}
                    spec:
                      registry: {url: "127.0.0.1:1", repositoryPrefix: kapro, insecure: true, allowPrivateNetwork: true}
                      signing: {keySecretRef: {name: kapro-signing}}
                      clusterSelector: {matchLabels: {fleet: bench}}
                      units:
                        - {name: web, backend: Flux, kind: HelmRelease, objectRef: {namespace: shop, name: web}, field: chartVersion}
                    """,
                    Fleet.class))
        .inNamespace(HubWorld.NS)
        .create();
    try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String name = HubWorld.clusterName(i);
        fs.add(pool.submit(() -> cluster(client, name, withTargets)));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
  }

  private static void cluster(KubernetesClient client, String name, boolean withTarget) {
    Cluster c =
        client
            .getKubernetesSerialization()
            .unmarshal(
                """
                apiVersion: kapro.io/v1alpha2
                kind: Cluster
                metadata: {name: %s, labels: {fleet: bench}}
                spec: {displayName: %s}
                """
                    .formatted(name, name),
                Cluster.class);
    Cluster createdCluster = client.resource(c).inNamespace(HubWorld.NS).create();
    if (!withTarget) {
      return;
    }
    // the Cluster records its Target's bundle as published (as the publisher leaves it), so the
    // hub confirms the Published Target from its Cluster cache; without it the Target reconciler
    // asks the Fleet's registry, which this world does not run (since the publish work of issue 21)
    io.kapro.api.v1alpha2.ClusterStatus cs = new io.kapro.api.v1alpha2.ClusterStatus();
    io.kapro.api.v1alpha2.BundleSequence seq = new io.kapro.api.v1alpha2.BundleSequence();
    seq.setReserved(1L);
    seq.setPublished(1L);
    cs.setSequence(seq);
    cs.setPublishedDigest("sha256:" + "0".repeat(64));
    createdCluster.setStatus(cs);
    client.resource(createdCluster).inNamespace(HubWorld.NS).updateStatus();
    Target t = new Target();
    t.getMetadata().setName("run-1-all-" + name);
    t.getMetadata()
        .setLabels(
            Map.of(
                Kapro.Labels.FLEET, "bench",
                Kapro.Labels.CLUSTER, name,
                Kapro.Labels.STAGE, "all",
                Kapro.Labels.PROMOTION_RUN, "run-1",
                Kapro.Labels.PHASE, "Published"));
    TargetSpec spec = new TargetSpec();
    spec.setRun("run-1");
    spec.setCluster(name);
    spec.setStage("all");
    UnitVersion u = new UnitVersion();
    u.setName("web");
    u.setVersion("2.0.0");
    spec.setUnits(List.of(u));
    t.setSpec(spec);
    TargetStatus st = new TargetStatus();
    st.setPhase(TargetPhase.Published);
    BundleRef ref = new BundleRef();
    ref.setSequence(1L);
    ref.setDigest("sha256:" + "0".repeat(64));
    st.setBundle(ref);
    t.setStatus(st);
    Target created = client.resource(t).inNamespace(HubWorld.NS).create();
    if (created.getStatus() == null) {
      created.setStatus(st);
      client.resource(created).inNamespace(HubWorld.NS).updateStatus();
    }
  }
}
