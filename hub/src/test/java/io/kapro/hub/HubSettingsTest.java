package io.kapro.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HubSettingsTest {

  @Test
  void defaultsServeAPod() {
    HubSettings s = HubSettings.fromEnv(Map.of("KAPRO_NAMESPACE", "kapro-system"));
    assertThat(s.namespace()).isEqualTo("kapro-system");
    assertThat(s.gatewayHost()).isEqualTo("0.0.0.0");
    assertThat(s.gatewayPort()).isEqualTo(8443);
    assertThat(s.leaderElection()).isTrue();
    assertThat(s.resync()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.caSecret()).isEqualTo("kapro-hub-ca");
    assertThat(s.httpPort()).isEqualTo(8080);
  }

  @Test
  void readsEveryVariable() {
    HubSettings s =
        HubSettings.fromEnv(
            Map.of(
                "KAPRO_NAMESPACE", "hub",
                "KAPRO_GATEWAY_ADDRESS", "127.0.0.1:9443",
                "KAPRO_GATEWAY_DNS_NAMES", "kapro-gateway.hub.svc, gw.example.com",
                "KAPRO_CA_SECRET", "ca",
                "KAPRO_LEADER_ELECTION", "false",
                "KAPRO_RESYNC", "10s",
                "KAPRO_REISSUE_INTERVAL", "2m"));
    assertThat(s.gatewayPort()).isEqualTo(9443);
    assertThat(s.gatewayDnsNames()).containsExactly("kapro-gateway.hub.svc", "gw.example.com");
    assertThat(s.leaderElection()).isFalse();
    assertThat(s.reissueInterval()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void shardsTurnTheLeaderElectionOffAndAreBounded() {
    HubSettings s =
        HubSettings.fromEnv(
            Map.of(
                "KAPRO_NAMESPACE", "hub",
                "KAPRO_SHARDS", "4",
                "KAPRO_SHARD_LEASE_DURATION", "20s"));
    assertThat(s.shards()).isEqualTo(4);
    assertThat(s.shardLease()).isEqualTo(Duration.ofSeconds(20));
    assertThat(s.leaderElection()).as("shards replace the single leader").isFalse();
    assertThat(HubSettings.fromEnv(Map.of("KAPRO_NAMESPACE", "hub")).shards()).isZero();
    assertThatThrownBy(
            () ->
                HubSettings.fromEnv(
                    Map.of(
                        "KAPRO_SHARDS", "-1",
                        "KAPRO_SHARD_LEASE_DURATION", "forever")))
        .hasMessageContaining("KAPRO_SHARDS: '-1' must be a number from 0 (no sharding) to 1024")
        .hasMessageContaining("KAPRO_SHARD_LEASE_DURATION");
    assertThatThrownBy(
            () -> HubSettings.fromEnv(Map.of("KAPRO_SHARDS", "2", "KAPRO_LEADER_ELECTION", "true")))
        .hasMessageContaining("shards replace leader election");
  }

  @Test
  void gatewayHandshakeBoundIsReadAndBounded() {
    assertThat(HubSettings.fromEnv(Map.of("KAPRO_NAMESPACE", "hub")).gatewayMaxHandshakes())
        .as("default: the gateway's own bound")
        .isEqualTo(128);
    assertThat(
            HubSettings.fromEnv(
                    Map.of("KAPRO_NAMESPACE", "hub", "KAPRO_GATEWAY_MAX_HANDSHAKES", " 512 "))
                .gatewayMaxHandshakes())
        .isEqualTo(512);
    for (String bad : new String[] {"0", "-1", "100001", "many", ""}) {
      assertThatThrownBy(
              () ->
                  HubSettings.fromEnv(
                      Map.of("KAPRO_NAMESPACE", "hub", "KAPRO_GATEWAY_MAX_HANDSHAKES", bad)))
          .as(bad)
          .hasMessageContaining(
              "KAPRO_GATEWAY_MAX_HANDSHAKES: '"
                  + bad.strip()
                  + "' must be a number from 1 to 100000");
    }
  }

  @Test
  void everyProblemIsListedWithItsFix() {
    assertThatThrownBy(
            () ->
                HubSettings.fromEnv(
                    Map.of(
                        "KAPRO_GATEWAY_ADDRESS",
                        "127.0.0.1:http",
                        "KAPRO_HTTP_ADDRESS",
                        "0.0.0.0:99999",
                        "KAPRO_LEADER_ELECTION",
                        "yes",
                        "KAPRO_RESYNC",
                        "-5s",
                        "KAPRO_REISSUE_INTERVAL",
                        "soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KAPRO_GATEWAY_ADDRESS: port 'http'")
        .hasMessageContaining("KAPRO_HTTP_ADDRESS: port '99999'")
        .hasMessageContaining("KAPRO_LEADER_ELECTION: 'yes' must be true or false")
        .hasMessageContaining("KAPRO_RESYNC: \"-5s\" must be longer than zero")
        .hasMessageContaining("KAPRO_REISSUE_INTERVAL: \"soon\" is not a duration");
  }

  /** The environment takes the Plan's grammar (io.kapro.api.Durations): 1m30s, 1.5h, 500ms. */
  @Test
  void durationsAreGoDurationsLikeAPlans() {
    HubSettings s =
        HubSettings.fromEnv(Map.of("KAPRO_RESYNC", "1m30s", "KAPRO_REISSUE_INTERVAL", "1.5h"));
    assertThat(s.resync()).isEqualTo(Duration.ofSeconds(90));
    assertThat(s.reissueInterval()).isEqualTo(Duration.ofMinutes(90));
  }

  @Test
  void addressWithoutPortIsRefused() {
    assertThatThrownBy(() -> HubSettings.fromEnv(Map.of("KAPRO_GATEWAY_ADDRESS", "gateway")))
        .hasMessageContaining("is not host:port");
  }

  @Test
  void evidenceImportIsOffByDefaultAndTakesADuration() {
    assertThat(HubSettings.fromEnv(Map.of()).evidenceImport()).isEmpty();
    assertThat(
            HubSettings.fromEnv(Map.of("KAPRO_EVIDENCE_IMPORT_INTERVAL", "off")).evidenceImport())
        .isEmpty();
    assertThat(HubSettings.fromEnv(Map.of("KAPRO_EVIDENCE_IMPORT_INTERVAL", "1m")).evidenceImport())
        .contains(java.time.Duration.ofMinutes(1));
    assertThat(HubSettings.local("x").evidenceImport()).isEmpty();
    assertThat(
            HubSettings.local("x")
                .withEvidenceImport(java.time.Duration.ofSeconds(2))
                .evidenceImport())
        .contains(java.time.Duration.ofSeconds(2));
    assertThatThrownBy(
            () -> HubSettings.fromEnv(Map.of("KAPRO_EVIDENCE_IMPORT_INTERVAL", "sometimes")))
        .hasMessageContaining("KAPRO_EVIDENCE_IMPORT_INTERVAL: \"sometimes\" is not a duration");
    assertThatThrownBy(() -> HubSettings.fromEnv(Map.of("KAPRO_EVIDENCE_IMPORT_INTERVAL", "0s")))
        .hasMessageContaining("KAPRO_EVIDENCE_IMPORT_INTERVAL");
  }
}
