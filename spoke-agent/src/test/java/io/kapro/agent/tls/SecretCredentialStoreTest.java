package io.kapro.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.agent.kube.MockKubes;
import io.kapro.agent.testing.MockKube;
import io.kapro.agent.testing.TestCa;
import org.junit.jupiter.api.Test;

class SecretCredentialStoreTest {
  @Test
  void savesReplacesAndLoads() throws Exception {
    try (MockKube kube = new MockKube()) {
      TestCa ca = new TestCa();
      SecretCredentialStore store =
          new SecretCredentialStore(MockKubes.client(kube), "kapro-agent", "kapro-agent-tls");
      assertThat(store.load()).isEmpty();
      AgentCredentials first = FileCredentialStoreTest.credentials(ca);
      store.save(first);
      AgentCredentials second = FileCredentialStoreTest.credentials(ca);
      store.save(second);
      assertThat(store.load().orElseThrow().serial()).isEqualTo(second.serial());
      var secret =
          kube.client().secrets().inNamespace("kapro-agent").withName("kapro-agent-tls").get();
      assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
      assertThat(secret.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/part-of", "kapro")
          .containsEntry("app.kubernetes.io/component", "agent-credentials");
    }
  }
}
