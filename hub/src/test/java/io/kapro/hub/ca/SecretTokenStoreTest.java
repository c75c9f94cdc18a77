package io.kapro.hub.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kapro.agent.testing.MutableClock;
import io.kapro.api.enrollment.BootstrapTokenFormat;
import io.kapro.hub.link.LinkException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class SecretTokenStoreTest {
  KubernetesClient client;

  @Test
  void storesTheHashOnlyAndIsSingleUse() {
    MutableClock clock = MutableClock.now();
    BootstrapTokens tokens =
        new BootstrapTokens(new SecretTokenStore(client, "kapro-system"), clock);
    ClusterId cluster = new ClusterId("team-a", "edge-1");
    String token = tokens.issue(cluster, Duration.ofHours(1));

    String everything = client.secrets().inNamespace("kapro-system").list().getItems().toString();
    assertThat(everything).doesNotContain(token.substring(4));

    TokenRecord record = tokens.check(token);
    assertThat(record.cluster()).isEqualTo(cluster);
    tokens.consume(record);
    assertThatThrownBy(() -> tokens.check(token))
        .isInstanceOf(LinkException.class)
        .hasMessageContaining("already used");
    assertThatThrownBy(() -> tokens.consume(record))
        .isInstanceOf(LinkException.class)
        .hasMessageContaining("already used");
  }

  @Test
  void aTokenIssuedOutsideTheHubIsRedeemableOnce() {
    // what `kapro certs bootstrap-token` does: the shared format, written straight to the API
    MutableClock clock = MutableClock.now();
    BootstrapTokenFormat.Issued issued =
        BootstrapTokenFormat.issue(
            "kapro-system", "team-a", "edge-9", Duration.ofMinutes(30), clock.instant());
    client.secrets().inNamespace("kapro-system").resource(issued.secret()).create();

    BootstrapTokens tokens =
        new BootstrapTokens(new SecretTokenStore(client, "kapro-system"), clock);
    TokenRecord record = tokens.check(issued.token());
    assertThat(record.cluster()).isEqualTo(new ClusterId("team-a", "edge-9"));
    assertThat(record.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
    tokens.consume(record);
    assertThatThrownBy(() -> tokens.check(issued.token()))
        .isInstanceOf(LinkException.class)
        .hasMessageContaining("already used");

    BootstrapTokenFormat.Issued late =
        BootstrapTokenFormat.issue(
            "kapro-system", "team-a", "edge-9", Duration.ofMinutes(5), clock.instant());
    client.secrets().inNamespace("kapro-system").resource(late.secret()).create();
    clock.advance(Duration.ofMinutes(5));
    assertThatThrownBy(() -> tokens.check(late.token()))
        .isInstanceOf(LinkException.class)
        .hasMessageContaining("expired");
  }

  @Test
  void unknownAndMalformedHashesFindNothing() {
    SecretTokenStore store = new SecretTokenStore(client, "kapro-system");
    assertThat(store.find("0".repeat(64))).isEmpty();
    assertThat(store.find("../../etc")).isEmpty();
  }
}
