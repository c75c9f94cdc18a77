package io.kapro.hub.gateway;

import static io.kapro.hub.gateway.GatewayFixture.A;
import static io.kapro.hub.gateway.GatewayFixture.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.Hello;
import io.kapro.agent.v1.HubMessage;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Nudges and settings reach the stream of the right cluster. */
class NudgeIT {
  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private final GatewayFixture hub = new GatewayFixture();

  @AfterEach
  void close() throws Exception {
    hub.close();
  }

  @Test
  void aNewBundleReachesTheConnectedAgentWithinASecond() {
    AtomicLong receivedAt = new AtomicLong();
    TestStream a =
        TestStream.open(
            hub.channel(hub.credentialsFor(A)),
            m -> {
              if (m.hasBundleAvailable()) {
                receivedAt.set(System.nanoTime());
              }
            });
    TestStream b = TestStream.open(hub.channel(hub.credentialsFor(B)));
    a.send(TestStream.hello("0.1.0"));
    b.send(TestStream.hello("0.1.0"));
    await().until(() -> a.hasSettings() && b.hasSettings());

    long start = System.nanoTime();
    hub.gateway.notifier().bundleAvailable(A, 7, DIGEST);

    await().atMost(Duration.ofSeconds(1)).until(() -> receivedAt.get() != 0);
    System.out.printf("NudgeIT: nudge latency %.2f ms%n", (receivedAt.get() - start) / 1e6);
    HubMessage nudge =
        a.received.stream().filter(HubMessage::hasBundleAvailable).findFirst().orElseThrow();
    assertThat(nudge.getBundleAvailable().getSequence()).isEqualTo(7);
    assertThat(nudge.getBundleAvailable().getDigest()).isEqualTo(DIGEST);
    assertThat(b.received).noneMatch(HubMessage::hasBundleAvailable);
  }

  @Test
  void settingsFollowHelloAndANewerPublishedBundleIsAnnounced() {
    hub.directory.put(
        new ClusterEntry(
            A,
            Set.of(),
            new LinkSettings(Duration.ofSeconds(10), Duration.ofSeconds(45)),
            Optional.of(new LatestBundle(5, DIGEST))));
    TestStream a = TestStream.open(hub.channel(hub.credentialsFor(A)));
    a.send(
        AgentMessage.newBuilder()
            .setHello(Hello.newBuilder().setAgentVersion("0.1.0").setLastAppliedSequence(4))
            .build());
    await().until(() -> a.received.size() >= 2);
    assertThat(a.received.get(0).getSettings().getHeartbeatIntervalSeconds()).isEqualTo(10);
    assertThat(a.received.get(0).getSettings().getPollIntervalSeconds()).isEqualTo(45);
    assertThat(a.received.get(1).getBundleAvailable().getSequence()).isEqualTo(5);

    hub.directory.put(
        new ClusterEntry(
            A,
            Set.of(),
            new LinkSettings(Duration.ofSeconds(20), Duration.ofSeconds(45)),
            Optional.of(new LatestBundle(5, DIGEST))));
    await()
        .until(
            () ->
                a.received.stream()
                    .anyMatch(
                        m ->
                            m.hasSettings()
                                && m.getSettings().getHeartbeatIntervalSeconds() == 20));
  }

  @Test
  void anAgentAlreadyAtTheLatestBundleIsNotNudgedOnHello() {
    hub.directory.publish(A, new LatestBundle(5, DIGEST));
    TestStream a = TestStream.open(hub.channel(hub.credentialsFor(A)));
    a.send(
        AgentMessage.newBuilder()
            .setHello(
                Hello.newBuilder()
                    .setAgentVersion("0.1.0")
                    .setLastAppliedSequence(5)
                    .setLastAppliedDigest(DIGEST))
            .build());
    a.send(TestStream.evidence(1, "x", DIGEST));
    await().until(() -> a.highestAck() == 1);
    assertThat(a.received).noneMatch(HubMessage::hasBundleAvailable);
  }
}
