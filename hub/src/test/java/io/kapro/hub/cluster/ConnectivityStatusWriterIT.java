package io.kapro.hub.cluster;

import static io.kapro.hub.publish.PublishFixture.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.agent.testing.MutableClock;
import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Enrollment;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.cluster.connectivity.ConnectivityTracker;
import io.kapro.hub.kube.Times;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tracker's judgement lands in Cluster status, with a controlled clock. */
class ConnectivityStatusWriterIT {
  private static final ClusterId EU = new ClusterId(NS, "eu-1");
  private final LocalKubeApi api = LocalKubeApi.start();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T01:00:00Z"));
  private final ConnectivityTracker tracker = new ConnectivityTracker(clock);
  private final ConnectivityStatusWriter writer =
      new ConnectivityStatusWriter(api.client(), tracker, clock);

  @AfterEach
  void close() {
    writer.close();
    api.close();
  }

  private ClusterStatus status() {
    return api.client().resources(Cluster.class).inNamespace(NS).withName("eu-1").get().getStatus();
  }

  private Condition connected() {
    return Conditions.find(status().getConditions(), Kapro.ConditionTypes.CONNECTED).orElseThrow();
  }

  @Test
  void connectedOnHelloUnknownAfterThreeMissedHeartbeatsAndLastSeenNeverGoesBack() {
    Cluster c = new Cluster();
    c.getMetadata().setName("eu-1");
    c.getMetadata().setNamespace(NS);
    api.client().resource(c).create();

    tracker.hello(
        EU,
        Duration.ofSeconds(30),
        "0.1.0",
        BigInteger.valueOf(0xabc),
        clock.instant().plus(Duration.ofDays(30)));
    writer.write(EU, tracker.connectivity(EU).orElseThrow());
    assertThat(connected().getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(connected().getReason()).isEqualTo(Kapro.Reasons.AGENT_CONNECTED);
    assertThat(status().getAgentVersion()).isEqualTo("0.1.0");
    assertThat(status().getEnrollment()).isEqualTo(Enrollment.Enrolled);
    assertThat(status().getCertificate().getSerial()).isEqualTo("abc");
    assertThat(status().getLastSeen()).isEqualTo("2026-11-22T01:00:00Z");

    // heartbeats within the refresh interval stay in memory; lastSeen moves once it has passed
    clock.advance(Duration.ofSeconds(20));
    tracker.seen(EU);
    writer.flush();
    assertThat(status().getLastSeen()).isEqualTo("2026-11-22T01:00:00Z");
    clock.advance(io.kapro.hub.cluster.connectivity.Liveness.DEFAULTS.statusRefresh());
    tracker.seen(EU);
    writer.flush();
    assertThat(status().getLastSeen()).isEqualTo("2026-11-22T01:30:20Z");

    clock.advance(Duration.ofSeconds(91));
    assertThat(tracker.sweep()).containsExactly(EU);
    writer.write(EU, tracker.connectivity(EU).orElseThrow());
    assertThat(connected().getStatus()).isEqualTo(ConditionStatus.Unknown);
    assertThat(connected().getReason()).isEqualTo(Kapro.Reasons.HEARTBEAT_MISSED);
    assertThat(status().getLastSeen()).isEqualTo("2026-11-22T01:30:20Z");

    tracker.seen(EU);
    writer.write(EU, tracker.connectivity(EU).orElseThrow());
    assertThat(connected().getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(connected().getLastTransitionTime()).isEqualTo(Times.format(clock.instant()));
  }

  @Test
  void aReplicaThatLostTheAgentDoesNotOverrideOneThatHeardFromItSince() {
    Cluster c = new Cluster();
    c.getMetadata().setName("eu-1");
    c.getMetadata().setNamespace(NS);
    api.client().resource(c).create();
    tracker.hello(
        EU,
        Duration.ofSeconds(30),
        "0.1.0",
        BigInteger.ONE,
        clock.instant().plus(Duration.ofDays(1)));
    writer.write(EU, tracker.connectivity(EU).orElseThrow());

    // Another replica now holds the stream and recorded a later sign of life.
    Cluster cur = api.client().resources(Cluster.class).inNamespace(NS).withName("eu-1").get();
    cur.getStatus().setLastSeen("2026-11-22T01:02:00Z");
    api.client().resource(cur).updateStatus();

    clock.advance(Duration.ofSeconds(100));
    tracker.sweep();
    writer.write(EU, tracker.connectivity(EU).orElseThrow());
    assertThat(connected().getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(status().getLastSeen()).isEqualTo("2026-11-22T01:02:00Z");
  }
}
