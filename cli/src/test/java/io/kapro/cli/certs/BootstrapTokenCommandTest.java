package io.kapro.cli.certs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.kapro.api.enrollment.BootstrapTokenFormat;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.cli.Cli;
import io.kapro.cli.ExitCodes;
import io.kapro.cli.Fleets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hub side (BootstrapTokens.check/consume over SecretTokenStore redeeming a token in this
 * format) is tested in hub's SecretTokenStoreTest.aTokenIssuedOutsideTheHubIsRedeemableOnce.
 */
class BootstrapTokenCommandTest {
  static LocalKubeApi api;
  static Cli cli;

  @BeforeAll
  static void start() {
    api = LocalKubeApi.start();
    cli = new Cli(api);
    Fleets.cluster(api.client(), "web", "edge-1", "prod", null, false);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @AfterEach
  void allow() {
    api.allowAll();
  }

  private List<Secret> tokens() {
    return api.client().secrets().inNamespace("kapro-system").list().getItems();
  }

  @Test
  void issuesATokenStoredOnlyAsItsHash() {
    Instant before = Instant.now();
    Cli.Result r =
        cli.run(
            "certs",
            "bootstrap-token",
            "edge-1",
            "--ttl",
            "30m",
            "--hub-address",
            "hub.example.com:443");
    assertThat(r.exit()).as(r.toString()).isZero();
    String token = r.lines().get(1).strip();
    assertThat(token).matches("kbt_[A-Za-z0-9_-]{43}");
    assertThat(r.out())
        .contains(
            "Bootstrap token for cluster default/edge-1 (single use, expires",
            "helm install kapro-agent",
            "--set cluster.namespace=default",
            "--set cluster.name=edge-1",
            "--set hub.address=hub.example.com:443",
            "--values agent-values.yaml",
            "--set bootstrapToken.token=" + token,
            "agent-values.yaml holds the rest of the agent's settings");

    Secret s =
        api.client()
            .secrets()
            .inNamespace("kapro-system")
            .withName(BootstrapTokenFormat.secretName(BootstrapTokenFormat.hash(token)))
            .get();
    assertThat(s).isNotNull();
    assertThat(s.getType()).isEqualTo("kapro.io/bootstrap-token");
    assertThat(s.getMetadata().getLabels()).containsEntry("kapro.io/cluster", "edge-1");
    assertThat(s.toString()).doesNotContain(token.substring(4));
    BootstrapTokenFormat.Stored stored = BootstrapTokenFormat.read(s).orElseThrow();
    assertThat(stored.sha256()).isEqualTo(BootstrapTokenFormat.hash(token));
    assertThat(stored.namespace()).isEqualTo("default");
    assertThat(stored.cluster()).isEqualTo("edge-1");
    assertThat(stored.usedAt()).isNull();
    assertThat(stored.expiresAt())
        .isBetween(before.plus(Duration.ofMinutes(30)), Instant.now().plus(Duration.ofMinutes(30)));
  }

  @Test
  void jsonAndOwnHubNamespace() throws Exception {
    Cli.Result r =
        cli.run("certs", "bootstrap-token", "edge-1", "--hub-namespace", "hub", "-o", "json");
    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    String token = j.get("token").asText();
    assertThat(j.get("cluster").asText()).isEqualTo("default/edge-1");
    assertThat(j.get("secret").asText())
        .isEqualTo("hub/" + BootstrapTokenFormat.secretName(BootstrapTokenFormat.hash(token)));
    assertThat(j.get("helm").asText()).contains("--set bootstrapToken.token=" + token);
    assertThat(api.client().secrets().inNamespace("hub").list().getItems()).hasSize(1);
  }

  @Test
  void errors() {
    int before = tokens().size();
    Cli.Result unknown = cli.run("certs", "bootstrap-token", "edge-9");
    assertThat(unknown.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(unknown.err()).contains("Cluster 'edge-9' not found in namespace default");
    Cli.Result ttl = cli.run("certs", "bootstrap-token", "edge-1", "--ttl", "30d");
    assertThat(ttl.exit()).isEqualTo(ExitCodes.USAGE);
    Cli.Result long_ = cli.run("certs", "bootstrap-token", "edge-1", "--ttl", "200h");
    assertThat(long_.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(long_.err()).contains("longer than 7 days");
    assertThat(cli.run("certs", "bootstrap-token", "edge-1", "--ttl", "0s").exit())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run("certs", "bootstrap-token", "EDGE 1").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run("certs", "bootstrap-token", "edge-1", "--hub-address", "a b").exit())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run("certs", "bootstrap-token").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run("certs").exit()).isEqualTo(ExitCodes.USAGE);
    api.forbid("POST", "/api/v1/namespaces/kapro-system/secrets");
    Cli.Result denied = cli.run("certs", "bootstrap-token", "edge-1");
    assertThat(denied.exit()).isEqualTo(ExitCodes.FORBIDDEN);
    assertThat(denied.out()).doesNotContain("kbt_");
    assertThat(tokens()).hasSize(before);
  }
}
