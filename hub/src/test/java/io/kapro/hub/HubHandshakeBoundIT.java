package io.kapro.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kapro.api.testing.LocalKubeApi;
import java.io.InputStream;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code KAPRO_GATEWAY_MAX_HANDSHAKES} reaches the gateway of a started hub: with a bound of 1 and
 * one peer holding the slot (connected, no handshake), the next connection is closed by the hub
 * before its handshake. With the default bound (128) it would wait for its handshake instead, and
 * the read below would time out.
 */
class HubHandshakeBoundIT {

  @Test
  void theEnvironmentsHandshakeBoundReachesTheGateway() throws Exception {
    HubSettings settings =
        HubSettings.fromEnv(
            Map.of(
                "KAPRO_NAMESPACE", "kapro-system",
                "KAPRO_GATEWAY_ADDRESS", "127.0.0.1:0",
                "KAPRO_HTTP_ADDRESS", "127.0.0.1:0",
                "KAPRO_GATEWAY_DNS_NAMES", "localhost,127.0.0.1",
                "KAPRO_LEADER_ELECTION", "false",
                "KAPRO_GATEWAY_MAX_HANDSHAKES", "1"));
    try (LocalKubeApi api = LocalKubeApi.start();
        Hub hub = Hub.start(api.client(), settings, Clock.systemUTC());
        Socket silent = new Socket("127.0.0.1", hub.gatewayPort())) {
      // the silent peer holds the one slot until its handshake timeout (10 s)
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(hub.metrics().scrape())
                      .containsPattern("(?m)^kapro_gateway_handshakes_in_progress\\S* 1(\\.0)?$"));
      try (Socket refused = new Socket("127.0.0.1", hub.gatewayPort())) {
        refused.setSoTimeout(8_000);
        InputStream in = refused.getInputStream();
        assertThat(in.read()).as("closed by the hub before any handshake").isEqualTo(-1);
      }
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(hub.metrics().scrape())
                      .containsPattern("(?m)^kapro_gateway_handshakes_refused_total\\S* [1-9]"));
    }
  }
}
