package io.kapro.e2e.bench;

import io.kapro.agent.testing.MutableClock;
import io.kapro.api.testing.ApiRequestCounts;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.cluster.AgentLeases;
import io.kapro.hub.cluster.ConnectivityStatusWriter;
import io.kapro.hub.cluster.connectivity.ConnectivityTracker;
import io.kapro.hub.cluster.connectivity.Liveness;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * API writes per idle connected cluster-hour, counted: {@code n} connected clusters heartbeat every
 * 30 s for one hour on a controlled clock, through the hub's own liveness parts (the in-memory
 * tracker, the per-cluster Lease holder, the Cluster status writer, with the hub's default {@link
 * Liveness}) against the local API server. An hour of real time would show the same requests, only
 * later: the schedule is in the clock, and request counts do not depend on load.
 */
final class IdleHour {
  static final Duration HEARTBEAT = Duration.ofSeconds(30);
  private static final String NS = "idle";

  private IdleHour() {}

  static Map<String, Object> measure(int n) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    try (LocalKubeApi api = LocalKubeApi.start()) {
      MutableClock clock = new MutableClock(Instant.parse("2026-12-07T00:00:00Z"));
      ConnectivityTracker tracker = new ConnectivityTracker(clock);
      List<ClusterId> ids = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          ClusterId id = new ClusterId(NS, HubWorld.clusterName(i));
          ids.add(id);
          fs.add(
              pool.submit(
                  () -> {
                    Cluster c = new Cluster();
                    c.getMetadata().setNamespace(NS);
                    c.getMetadata().setName(id.name());
                    api.client().resource(c).create();
                  }));
        }
        for (Future<?> f : fs) {
          f.get();
        }
      }
      try (AgentLeases leases =
              new AgentLeases(api.client(), tracker, clock, "bench-replica", Liveness.DEFAULTS);
          ConnectivityStatusWriter writer =
              new ConnectivityStatusWriter(api.client(), tracker, clock)
                  .refreshEvery(Liveness.DEFAULTS.statusRefresh())) {
        for (ClusterId id : ids) {
          tracker.hello(
              id, HEARTBEAT, "bench", BigInteger.ONE, clock.instant().plus(Duration.ofDays(30)));
          var c = tracker.connectivity(id).orElseThrow();
          leases.transition(id, c);
          writer.write(id, c);
        }
        Map<String, Long> before = api.requests().snapshot();
        for (Duration t = Duration.ZERO;
            t.compareTo(Duration.ofHours(1)) < 0;
            t = t.plus(HEARTBEAT)) {
          clock.advance(HEARTBEAT);
          ids.forEach(tracker::seen);
          tracker.sweep();
          leases.renewDue();
          writer.flush();
        }
        Map<String, Long> hour = ApiRequestCounts.delta(before, api.requests().snapshot());
        out.put("clusters", n);
        out.put("heartbeatSeconds", HEARTBEAT.toSeconds());
        out.put("leaseRenewMinutes", Liveness.DEFAULTS.leaseRenew().toMinutes());
        out.put("statusRefreshMinutes", Liveness.DEFAULTS.statusRefresh().toMinutes());
        out.put("apiWritesPerClusterHour", Stats.round((double) ApiRequestCounts.writes(hour) / n));
        out.put(
            "apiRequestsPerClusterHour", Stats.round((double) ApiRequestCounts.total(hour) / n));
        out.put("apiRequestsByVerbAndResource", hour);
      }
    }
    return out;
  }
}
