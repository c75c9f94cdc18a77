package io.kapro.hub.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kapro.api.testing.LocalKubeApi;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every tenant Secret the hub reads (signing keys, registry credentials, event sink and metrics
 * gate credentials, the inbound token) goes through {@link TenantSecrets}: a Secret the hub chart
 * does not grant is refused naming the chart value, on the local API server answering 403 as
 * kube-apiserver does for a name outside the Role's resourceNames.
 */
class TenantSecretsIT {
  static LocalKubeApi api;

  @BeforeAll
  static void start() {
    api = LocalKubeApi.start();
    api.client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("team-a").endMetadata().build())
        .create();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void aSecretOutsideTheChartsListIsRefusedNamingTheChartValue() {
    api.forbid("GET", "/api/v1/namespaces/team-a/secrets/ci-events");
    try {
      assertThatThrownBy(() -> TenantSecrets.read(api.client(), "team-a", "ci-events"))
          .isInstanceOf(TenantSecrets.Forbidden.class)
          .hasMessageContaining("may not read Secret team-a/ci-events (forbidden)")
          .hasMessageContaining("rbac.tenantSecretNames")
          .hasMessageContaining("secretNames of namespace team-a");
    } finally {
      api.allowAll();
    }
    assertThat(TenantSecrets.read(api.client(), "team-a", "ci-events")).isNull();
  }

  @Test
  void valuesComeFromDataOrStringDataAndUndecodableDataIsAbsent() {
    Secret s =
        api.client()
            .secrets()
            .inNamespace("team-a")
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName("kapro-inbound")
                    .endMetadata()
                    .withData(
                        Map.of(
                            "hmac",
                            Base64.getEncoder()
                                .encodeToString("k3y".getBytes(StandardCharsets.UTF_8)),
                            "broken",
                            "not base64!"))
                    .build())
            .create();
    Secret read = TenantSecrets.read(api.client(), "team-a", "kapro-inbound");
    assertThat(TenantSecrets.text(read, "hmac")).isEqualTo("k3y");
    assertThat(TenantSecrets.bytes(read, "hmac")).isEqualTo("k3y".getBytes(StandardCharsets.UTF_8));
    assertThat(TenantSecrets.bytes(read, "broken")).isNull();
    assertThat(TenantSecrets.text(read, "missing")).isNull();
    s.setData(null);
    s.setStringData(Map.of("token", "t"));
    assertThat(TenantSecrets.text(s, "token")).isEqualTo("t");
  }
}
