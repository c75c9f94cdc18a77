package io.kapro.hub.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kapro.agent.testing.MutableClock;
import io.kapro.api.testing.ApiRequestCounts;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.cluster.connectivity.ConnectivityTracker;
import io.kapro.hub.cluster.connectivity.Liveness;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An idle connected cluster's liveness costs at most 12 API writes an hour (the budget in
 * docs/design/api-budget.md; it was one status write per heartbeat, ~120): an hour of heartbeats
 * every 30 s, driven on a controlled clock through the hub's tracker, Lease holder and status
 * writer against the local API server, counted by verb and resource.
 */
class LivenessBudgetIT {
  private static final String NS = "team-a";
  private static final Duration HEARTBEAT = Duration.ofSeconds(30);

  private final LocalKubeApi api = LocalKubeApi.start();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T08:00:00Z"));
  private final ConnectivityTracker tracker = new ConnectivityTracker(clock);
  private final AgentLeases leases =
      new AgentLeases(api.client(), tracker, clock, "replica-a", Liveness.DEFAULTS);
  private final ConnectivityStatusWriter writer =
      new ConnectivityStatusWriter(api.client(), tracker, clock)
          .refreshEvery(Liveness.DEFAULTS.statusRefresh());

  @AfterEach
  void close() {
    leases.close();
    writer.close();
    api.close();
  }

  /** What the hub's listeners do on a transition, in the order they run on one replica. */
  private void transition(ClusterId id) {
    var c = tracker.connectivity(id).orElseThrow();
    leases.transition(id, c);
    writer.write(id, c);
  }

  /** Simulated idle time: a heartbeat from every cluster every 30 s, the hub's ticks after each. */
  static Map<String, Long> idle(
      LocalKubeApi api,
      MutableClock clock,
      ConnectivityTracker tracker,
      AgentLeases leases,
      ConnectivityStatusWriter writer,
      List<ClusterId> clusters,
      Duration length) {
    Map<String, Long> before = api.requests().snapshot();
    for (Duration t = Duration.ZERO; t.compareTo(length) < 0; t = t.plus(HEARTBEAT)) {
      clock.advance(HEARTBEAT);
      clusters.forEach(tracker::seen);
      tracker.sweep();
      leases.renewDue();
      writer.flush();
    }
    return ApiRequestCounts.delta(before, api.requests().snapshot());
  }

  @Test
  void anIdleConnectedClusterCostsAtMostTwelveWritesAnHour() {
    List<ClusterId> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ClusterId id = new ClusterId(NS, "c" + i);
      Cluster c = new Cluster();
      c.getMetadata().setNamespace(NS);
      c.getMetadata().setName(id.name());
      api.client().resource(c).create();
      tracker.hello(
          id, HEARTBEAT, "0.1.0", BigInteger.ONE, clock.instant().plus(Duration.ofDays(30)));
      transition(id);
      ids.add(id);
    }
    Lease lease = api.client().leases().inNamespace(NS).withName(AgentLeases.leaseName("c0")).get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-a");
    assertThat(lease.getMetadata().getLabels()).containsEntry("kapro.io/cluster", "c0");

    Map<String, Long> hour = idle(api, clock, tracker, leases, writer, ids, Duration.ofHours(1));
    long writesPerClusterHour = ApiRequestCounts.writes(hour) / ids.size();
    assertThat(writesPerClusterHour).isLessThanOrEqualTo(12);
    assertThat(writesPerClusterHour).isEqualTo((long) Liveness.DEFAULTS.writesPerIdleHour());
    assertThat(hour)
        .containsEntry("update leases", 6L * ids.size())
        .containsEntry("patch clusters/status", 2L * ids.size())
        .doesNotContainKey("list clusters");
    // the Lease moved on with the clock
    Lease renewed =
        api.client().leases().inNamespace(NS).withName(AgentLeases.leaseName("c0")).get();
    assertThat(renewed.getSpec().getRenewTime().toInstant())
        .isAfter(lease.getSpec().getRenewTime().toInstant().plus(Duration.ofMinutes(50)));
  }

  /**
   * An agent's hello costs two writes and no read: the Lease created (no GET first: a 409 says it
   * exists), the Cluster's status written from the directory's informer copy (no GET first: a stale
   * copy is answered 409). A reconnect to the replica that released the Lease updates the copy it
   * wrote. Before (issue 21 review): a Lease GET and a Cluster GET per connect.
   */
  @Test
  void anAgentConnectCostsTwoWritesAndNoRead() {
    try (KubeClusterDirectory directory = KubeClusterDirectory.start(api.client(), NS);
        ConnectivityStatusWriter cached =
            new ConnectivityStatusWriter(api.client(), tracker, clock)
                .readingFrom(directory::cached)) {
      ClusterId id = new ClusterId(NS, "c0");
      Cluster c = new Cluster();
      c.getMetadata().setNamespace(NS);
      c.getMetadata().setName("c0");
      String rv = api.client().resource(c).create().getMetadata().getResourceVersion();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  directory
                      .cached(id)
                      .map(x -> rv.equals(x.getMetadata().getResourceVersion()))
                      .orElse(false));

      Map<String, Long> before = api.requests().snapshot();
      tracker.hello(
          id, HEARTBEAT, "0.1.0", BigInteger.ONE, clock.instant().plus(Duration.ofDays(30)));
      var connected = tracker.connectivity(id).orElseThrow();
      leases.transition(id, connected);
      cached.write(id, connected);
      Map<String, Long> connect = ApiRequestCounts.delta(before, api.requests().snapshot());
      assertThat(connect)
          .as("one connect, by verb and resource")
          .isEqualTo(Map.of("create leases", 1L, "patch clusters/status", 1L));
      assertThat(
              api.client()
                  .resources(Cluster.class)
                  .inNamespace(NS)
                  .withName("c0")
                  .get()
                  .getStatus()
                  .getAgentVersion())
          .isEqualTo("0.1.0");

      // heartbeats stop, the Lease is given up; the agent comes back to this replica
      clock.advance(HEARTBEAT.multipliedBy(4));
      assertThat(tracker.sweep()).containsExactly(id);
      leases.transition(id, tracker.connectivity(id).orElseThrow());
      tracker.hello(
          id, HEARTBEAT, "0.1.0", BigInteger.ONE, clock.instant().plus(Duration.ofDays(30)));
      Map<String, Long> before2 = api.requests().snapshot();
      leases.transition(id, tracker.connectivity(id).orElseThrow());
      Map<String, Long> reconnect = ApiRequestCounts.delta(before2, api.requests().snapshot());
      assertThat(reconnect).isEqualTo(Map.of("update leases", 1L));
      assertThat(
              api.client()
                  .leases()
                  .inNamespace(NS)
                  .withName(AgentLeases.leaseName("c0"))
                  .get()
                  .getSpec()
                  .getHolderIdentity())
          .isEqualTo("replica-a");
    }
  }

  /** A Lease another replica left behind is taken over: the create meets a 409, then read once. */
  @Test
  void aLeaseLeftByAnotherReplicaIsTakenOverAfterTheCreateConflicts() {
    ClusterId id = new ClusterId(NS, "c0");
    AgentLeases other =
        new AgentLeases(api.client(), tracker, clock, "replica-b", Liveness.DEFAULTS);
    tracker.hello(
        id, HEARTBEAT, "0.1.0", BigInteger.ONE, clock.instant().plus(Duration.ofDays(30)));
    other.renew(id);
    other.close();
    Map<String, Long> before = api.requests().snapshot();
    leases.renew(id);
    assertThat(ApiRequestCounts.delta(before, api.requests().snapshot()))
        .isEqualTo(Map.of("create leases", 1L, "get leases", 1L, "update leases", 1L));
    Lease taken = api.client().leases().inNamespace(NS).withName(AgentLeases.leaseName("c0")).get();
    assertThat(taken.getSpec().getHolderIdentity()).isEqualTo("replica-a");
    assertThat(taken.getSpec().getLeaseTransitions()).isEqualTo(1);
  }

  @Test
  void heartbeatsStoppingGiveUpTheLeaseAndMarkTheClusterOnce() {
    ClusterId id = new ClusterId(NS, "c0");
    Cluster c = new Cluster();
    c.getMetadata().setNamespace(NS);
    c.getMetadata().setName("c0");
    api.client().resource(c).create();
    tracker.hello(
        id, HEARTBEAT, "0.1.0", BigInteger.ONE, clock.instant().plus(Duration.ofDays(30)));
    transition(id);

    clock.advance(HEARTBEAT.multipliedBy(4));
    assertThat(tracker.sweep()).containsExactly(id);
    Map<String, Long> before = api.requests().snapshot();
    transition(id);
    Map<String, Long> lost = ApiRequestCounts.delta(before, api.requests().snapshot());
    assertThat(ApiRequestCounts.writes(lost)).isEqualTo(2); // Lease released, status Unknown
    assertThat(
            api.client()
                .leases()
                .inNamespace(NS)
                .withName(AgentLeases.leaseName("c0"))
                .get()
                .getSpec()
                .getHolderIdentity())
        .isNull();
  }
}
