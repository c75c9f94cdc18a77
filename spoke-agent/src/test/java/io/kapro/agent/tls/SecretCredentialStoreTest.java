package io.kapro.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kapro.agent.testing.TestCa;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class SecretCredentialStoreTest {
  KubernetesClient client;

  @Test
  void savesReplacesAndLoads() throws Exception {
    TestCa ca = new TestCa();
    SecretCredentialStore store =
        new SecretCredentialStore(client, "kapro-agent", "kapro-agent-tls");
    assertThat(store.load()).isEmpty();
    AgentCredentials first = FileCredentialStoreTest.credentials(ca);
    store.save(first);
    AgentCredentials second = FileCredentialStoreTest.credentials(ca);
    store.save(second);
    assertThat(store.load().orElseThrow().serial()).isEqualTo(second.serial());
    assertThat(
            client.secrets().inNamespace("kapro-agent").withName("kapro-agent-tls").get().getType())
        .isEqualTo("kubernetes.io/tls");
  }
}
