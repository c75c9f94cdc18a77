package io.kapro.hub.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kapro.api.testing.LocalKubeApi;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shard Leases against the local API server, on a hand-driven clock: rounds run when the test says,
 * so balancing, expiry and takeover are checked step by step without waiting.
 */
class ShardLeasesTest {
  static final Duration LEASE = Duration.ofSeconds(15);
  static final String NS = "kapro-system";

  private LocalKubeApi api;
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @BeforeEach
  void start() {
    api = LocalKubeApi.start();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private ShardLeases replica(String name, int shards) {
    return new ShardLeases(api.client(), NS, "kapro-hub", name, shards, LEASE, now::get);
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void twoReplicasSplitTheShardsAndTheSurvivorTakesOverWhenOneIsKilled() {
    ShardLeases a = replica("hub-a", 4);
    ShardLeases b = replica("hub-b", 4);
    List<String> acquired = new CopyOnWriteArrayList<>();
    b.onAcquired(s -> acquired.add("b:" + s));

    a.round();
    assertThat(a.ownedShards()).as("alone, a replica owns every shard").containsExactly(0, 1, 2, 3);

    b.round(); // b joins: every shard is held, so it takes none yet
    assertThat(b.ownedShards()).isEmpty();
    a.round(); // a sees two members: fair share 2, releases the shards b prefers
    assertThat(a.ownedShards()).containsExactly(0, 2);
    b.round();
    assertThat(b.ownedShards()).containsExactly(1, 3);
    assertThat(acquired).containsExactly("b:1", "b:3");
    assertThat(holders()).containsExactly("hub-a", "hub-b", "hub-a", "hub-b");

    // steady state: renewals keep the split
    advance(Duration.ofSeconds(3));
    a.round();
    b.round();
    assertThat(a.ownedShards()).containsExactly(0, 2);
    assertThat(b.ownedShards()).containsExactly(1, 3);

    a.halt(); // killed: nothing released
    assertThat(a.ownedShards()).isEmpty();
    advance(Duration.ofSeconds(10));
    b.round();
    assertThat(b.ownedShards()).as("before expiry nothing moves").containsExactly(1, 3);
    advance(Duration.ofSeconds(6)); // 16 s since b saw a's leases change
    b.round();
    assertThat(b.ownedShards())
        .as("after expiry the survivor holds all")
        .containsExactly(0, 1, 2, 3);
    assertThat(acquired).containsExactly("b:1", "b:3", "b:0", "b:2");
    assertThat(holders()).containsOnly("hub-b");
  }

  @Test
  void aCleanStopHandsOverWithoutWaitingForExpiry() {
    ShardLeases a = replica("hub-a", 2);
    ShardLeases b = replica("hub-b", 2);
    a.round();
    b.round();
    a.round();
    b.round();
    assertThat(a.ownedShards()).hasSize(1);
    a.close();
    b.round(); // a's membership Lease is gone and its shard free: no wait
    assertThat(b.ownedShards()).containsExactly(0, 1);
  }

  @Test
  void aReplicaThatCannotRenewStopsActingBeforeItsLeaseExpires() {
    ShardLeases a = replica("hub-a", 1);
    a.round();
    assertThat(a.owns(0)).isTrue();
    advance(LEASE.multipliedBy(2).dividedBy(3).plusMillis(1)); // no round: the API was unreachable
    assertThat(a.owns(0)).as("past the renew deadline").isFalse();
  }

  @Test
  void aStaleWriteOfALeaseIsRefused() {
    // the Leases' exclusion rests on the API server refusing an update with an old resourceVersion
    ShardLeases a = replica("hub-a", 1);
    a.round();
    Lease first = api.client().leases().inNamespace(NS).withName("kapro-hub-shard-0").get();
    advance(Duration.ofSeconds(3));
    a.round();
    first.getSpec().setHolderIdentity("intruder");
    assertThatThrownBy(() -> api.client().leases().inNamespace(NS).resource(first).update())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));
  }

  @Test
  void threeReplicasAndFiveShardsSplitTwoTwoOne() {
    List<ShardLeases> replicas = List.of(replica("r1", 5), replica("r2", 5), replica("r3", 5));
    for (int i = 0; i < 4; i++) {
      replicas.forEach(ShardLeases::round);
    }
    List<Integer> sizes = replicas.stream().map(r -> r.ownedShards().size()).sorted().toList();
    assertThat(sizes).containsExactly(1, 2, 2);
    assertThat(replicas.stream().flatMap(r -> r.ownedShards().stream()).distinct().count())
        .isEqualTo(5);
  }

  private List<String> holders() {
    return java.util.stream.IntStream.range(0, 4)
        .mapToObj(
            i ->
                api.client()
                    .leases()
                    .inNamespace(NS)
                    .withName("kapro-hub-shard-" + i)
                    .get()
                    .getSpec()
                    .getHolderIdentity())
        .toList();
  }

  @SuppressWarnings("unused")
  private static Set<Integer> none() {
    return Set.of();
  }
}
