package io.kapro.e2e.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Cluster;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The local API server's own cost (issue 21): GET and status PATCH latency of one Cluster with
 * {@code small} and with {@code large} stored Clusters (each labelled as the hub's objects are),
 * and a list by label. With the server's indexes the ratios stay near 1; fabric8's store alone
 * scanned every object per request. Sequential requests, so the figures are latencies, not
 * throughput.
 */
final class LocalApiBench {
  private static final String NS = "bench";
  private static final int SAMPLES = 400;

  private LocalApiBench() {}

  static Map<String, Object> run(int small, int large) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    try (LocalKubeApi api = LocalKubeApi.start()) {
      KubernetesClient k = api.client();
      fill(k, 0, small);
      Map<String, Object> a = measure(k, small);
      fill(k, small, large);
      Map<String, Object> b = measure(k, large);
      out.put("small", small);
      out.put("large", large);
      out.put("at" + small, a);
      out.put("at" + large, b);
      out.put("getRatio" + large + "to" + small, ratio(b, a, "getP50Ms"));
      out.put("patchRatio" + large + "to" + small, ratio(b, a, "statusPatchP50Ms"));
      out.put("listByLabelRatio" + large + "to" + small, ratio(b, a, "listByLabelP50Ms"));
    }
    return out;
  }

  private static double ratio(Map<String, Object> large, Map<String, Object> small, String key) {
    return Stats.round(
        ((Number) large.get(key)).doubleValue() / ((Number) small.get(key)).doubleValue());
  }

  private static void fill(KubernetesClient k, int from, int to) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = from; i < to; i++) {
        int n = i;
        fs.add(
            pool.submit(
                () -> {
                  Cluster c = new Cluster();
                  c.getMetadata().setNamespace(NS);
                  c.getMetadata().setName(HubWorld.clusterName(n));
                  c.getMetadata()
                      .setLabels(Map.of("kapro.io/fleet", "f" + (n % 10), "slot", "" + n));
                  k.resource(c).create();
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
  }

  private static Map<String, Object> measure(KubernetesClient k, int stored) {
    Random r = new Random(stored);
    List<Long> get = new ArrayList<>();
    List<Long> patch = new ArrayList<>();
    List<Long> list = new ArrayList<>();
    for (int i = 0; i < SAMPLES; i++) {
      String name = HubWorld.clusterName(r.nextInt(stored));
      long t0 = System.nanoTime();
      Cluster c = k.resources(Cluster.class).inNamespace(NS).withName(name).get();
      long t1 = System.nanoTime();
      k.resource(c)
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"status\":{\"lastSeen\":\"2026-12-07T00:00:" + (10 + i % 50) + "Z\"}}");
      long t2 = System.nanoTime();
      k.resources(Cluster.class).inNamespace(NS).withLabel("slot", "" + r.nextInt(stored)).list();
      long t3 = System.nanoTime();
      if (i >= SAMPLES / 4) { // the first quarter warms up
        get.add(t1 - t0);
        patch.add(t2 - t1);
        list.add(t3 - t2);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("stored", stored);
    out.put("getP50Ms", Stats.ofNanos(get).toMap().get("p50Ms"));
    out.put("statusPatchP50Ms", Stats.ofNanos(patch).toMap().get("p50Ms"));
    out.put("listByLabelP50Ms", Stats.ofNanos(list).toMap().get("p50Ms"));
    out.put("get", Stats.ofNanos(get).toMap());
    out.put("statusPatch", Stats.ofNanos(patch).toMap());
    return out;
  }
}
