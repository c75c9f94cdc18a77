package io.kapro.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The agent's client over TLS to fabric8's mock API server in HTTPS mode (a self-signed certificate
 * no CA of ours vouches for): refused unless the kubeconfig says {@code insecure-skip-tls-verify}.
 */
@EnableKubernetesMockClient(https = true, crud = true)
class KubeClientTlsIT {
  KubernetesClient client;

  KubeConfig config(boolean insecure) {
    return new KubeConfig(
        URI.create(client.getMasterUrl().toString()),
        List.of(),
        insecure,
        null,
        List.of(),
        Optional::empty,
        "test");
  }

  @Test
  void anUntrustedServerCertificateIsRefusedNamingTheServer() {
    try (KubeClient kube = new KubeClient(config(false))) {
      assertThatThrownBy(() -> kube.get(ResourcePath.secrets("a"), "s"))
          .isInstanceOfSatisfying(KubeException.class, e -> assertThat(e.code()).isZero())
          .hasMessageContaining("get secrets \"s\" in namespace a")
          .hasMessageContaining(client.getMasterUrl().getHost())
          .hasMessageContaining("SSLHandshakeException");
    }
  }

  @Test
  void insecureSkipTlsVerifyAcceptsItAsKubectlDoes() {
    try (KubeClient kube = new KubeClient(config(true))) {
      assertThat(kube.get(ResourcePath.secrets("a"), "s")).isEmpty();
    }
  }
}
