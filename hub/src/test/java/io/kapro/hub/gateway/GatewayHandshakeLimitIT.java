package io.kapro.hub.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.kapro.hub.ca.ClusterId;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's bound on TLS handshakes in progress, over real sockets: a connection above it is
 * closed before its handshake (the agent sees UNAVAILABLE and retries), and is served once a slot
 * is free; a completed handshake holds no slot.
 */
class GatewayHandshakeLimitIT {
  private static final ClusterId A = GatewayFixture.A;
  private final GatewayFixture hub = new GatewayFixture(Instant.now(), 1);

  @AfterEach
  void close() throws Exception {
    hub.close();
  }

  @Test
  void aConnectionAboveTheLimitIsRefusedBeforeItsHandshakeAndServedOnceASlotIsFree()
      throws Exception {
    GatewayFixture.Credentials creds = hub.credentialsFor(A);
    try (Socket silent = new Socket("127.0.0.1", hub.gateway.port())) {
      // a peer that connected and has not finished (here: not started) its handshake
      await().atMost(Duration.ofSeconds(5)).until(() -> hub.gateway.handshakesInProgress() == 1);
      Status refused =
          TestStream.open(hub.channel(creds)).send(TestStream.hello("0.1.0")).awaitTermination();
      assertThat(refused.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(hub.gateway.handshakesRefused()).isPositive();
      assertThat(hub.gateway.openStreams(A)).isZero();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.gateway.handshakesInProgress() == 0);
    TestStream served = TestStream.open(hub.channel(creds)).send(TestStream.hello("0.1.0"));
    await().atMost(Duration.ofSeconds(10)).until(served::hasSettings);
    assertThat(hub.gateway.handshakesInProgress())
        .as("an established stream holds no slot")
        .isZero();
    assertThat(hub.gateway.openStreams(A)).isOne();
  }
}
