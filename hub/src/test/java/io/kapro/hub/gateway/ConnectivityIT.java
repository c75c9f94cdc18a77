package io.kapro.hub.gateway;

import static io.kapro.hub.gateway.GatewayFixture.A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.Heartbeat;
import io.kapro.hub.cluster.connectivity.Connectivity;
import io.kapro.hub.cluster.connectivity.Connectivity.ConnectedStatus;
import io.kapro.hub.gateway.GatewayFixture.Credentials;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connected=True on hello, Unknown after three missed heartbeats, True again on reconnect. */
class ConnectivityIT {
  private final GatewayFixture hub = new GatewayFixture();

  @AfterEach
  void close() throws Exception {
    hub.close();
  }

  private ConnectedStatus status() {
    return hub.connectivity.connectivity(A).map(Connectivity::status).orElse(null);
  }

  @Test
  void connectedUnknownAndBackWithAControllableClock() {
    List<ConnectedStatus> transitions = new CopyOnWriteArrayList<>();
    hub.connectivity.addListener((cluster, c) -> transitions.add(c.status()));
    Credentials creds = hub.credentialsFor(A);
    TestStream first = TestStream.open(hub.channel(creds)).send(TestStream.hello("0.1.0"));
    await().until(first::hasSettings);
    assertThat(status()).isEqualTo(ConnectedStatus.TRUE);
    assertThat(hub.connectivity.connectivity(A).orElseThrow().certificateSerial())
        .isEqualTo(creds.leaf().getSerialNumber());

    // Heartbeats inside the window keep it True (default interval 30 s, window 90 s).
    hub.clock.advance(Duration.ofSeconds(80));
    first.send(
        AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setOutboxDepth(0)).build());
    await()
        .until(
            () ->
                hub.connectivity
                    .connectivity(A)
                    .orElseThrow()
                    .lastSeen()
                    .equals(hub.clock.instant()));
    hub.clock.advance(Duration.ofSeconds(80));
    assertThat(hub.connectivity.sweep()).isEmpty();
    assertThat(status()).isEqualTo(ConnectedStatus.TRUE);

    // Three missed heartbeats: Unknown.
    hub.clock.advance(Duration.ofSeconds(11));
    hub.connectivity.sweep();
    assertThat(status()).isEqualTo(ConnectedStatus.UNKNOWN);
    assertThat(hub.connectivity.connectivity(A).orElseThrow().reason())
        .isEqualTo(io.kapro.api.Kapro.Reasons.HEARTBEAT_MISSED);

    // Reconnect: True again.
    first.complete();
    TestStream second = TestStream.open(hub.channel(creds)).send(TestStream.hello("0.1.0"));
    await().until(second::hasSettings);
    assertThat(status()).isEqualTo(ConnectedStatus.TRUE);
    assertThat(transitions)
        .containsExactly(ConnectedStatus.TRUE, ConnectedStatus.UNKNOWN, ConnectedStatus.TRUE);
  }
}
