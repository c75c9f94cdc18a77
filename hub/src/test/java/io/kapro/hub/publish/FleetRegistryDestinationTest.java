package io.kapro.hub.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.api.v1alpha2.SecretKeyRef;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 item 7: a Fleet's registry URL and its authHosts pass the webhook gates' destination
 * guard (IP literals, so the system resolver answers without a network).
 */
class FleetRegistryDestinationTest {
  private final FleetStores stores = new FleetStores(null);

  private static FleetConfig fleet(String url, Set<String> authHosts, boolean allowPrivate) {
    return new FleetConfig(
        "team-a",
        "shop",
        new StoreLocation.Registry(url, "kapro", false, null, null, authHosts, allowPrivate),
        new SecretKeyRef(),
        Duration.ofHours(24),
        Duration.ofHours(8),
        Map.of(),
        null);
  }

  @Test
  void aRegistryOnLoopbackLinkLocalOrAPrivateNetworkIsRefusedUnlessTheFleetAllowsIt() {
    for (String url : new String[] {"127.0.0.1:5000", "https://169.254.169.254", "10.1.2.3"}) {
      assertThatThrownBy(() -> stores.open(fleet(url, Set.of(), false)))
          .as(url)
          .hasMessageContaining("spec.registry url")
          .hasMessageContaining("allowPrivateNetwork");
    }
    assertThat(stores.open(fleet("127.0.0.1:5000", Set.of(), true))).isNotNull();
  }

  @Test
  void aPublicRegistryPassesAndAPrivateAuthHostIsRefused() {
    assertThat(stores.open(fleet("93.184.216.34:5000", Set.of(), false))).isNotNull();
    assertThatThrownBy(() -> stores.open(fleet("93.184.216.35", Set.of("192.168.1.1"), false)))
        .hasMessageContaining("authHosts entry 192.168.1.1");
  }
}
