package io.kapro.hub.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kapro.agent.testing.MutableClock;
import io.kapro.hub.link.LinkException;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class SecretCaStoreTest {
  KubernetesClient client;

  @Test
  void createsOnceAndEveryReplicaLoadsTheSameCa() {
    MutableClock clock = MutableClock.now();
    HubCa first =
        HubCa.loadOrCreate(new SecretCaStore(client, "kapro-system", "kapro-hub-ca"), clock);
    HubCa second =
        HubCa.loadOrCreate(new SecretCaStore(client, "kapro-system", "kapro-hub-ca"), clock);
    assertThat(second.certificate()).isEqualTo(first.certificate());
    assertThat(
            client.secrets().inNamespace("kapro-system").withName("kapro-hub-ca").get().getType())
        .isEqualTo("kubernetes.io/tls");
  }

  @Test
  void losingTheCreateRaceReturnsTheStoredCa() {
    MutableClock clock = MutableClock.now();
    SecretCaStore store = new SecretCaStore(client, "kapro-system", "race");
    CaMaterial winner = store.saveIfAbsent(HubCa.generate(clock));
    CaMaterial loser = store.saveIfAbsent(HubCa.generate(clock));
    assertThat(loser.certificate()).isEqualTo(winner.certificate());
  }

  @Test
  void aBrokenSecretIsReportedWithTheFix() {
    client
        .secrets()
        .inNamespace("kapro-system")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("broken")
                .withNamespace("kapro-system")
                .endMetadata()
                .addToData("tls.crt", "bm90IHBlbQ==")
                .build())
        .create();
    assertThatThrownBy(() -> new SecretCaStore(client, "kapro-system", "broken").load())
        .isInstanceOf(LinkException.class)
        .hasMessageContaining("tls.key")
        .hasMessageContaining("delete it");
  }
}
