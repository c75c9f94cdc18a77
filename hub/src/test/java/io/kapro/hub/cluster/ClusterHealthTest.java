package io.kapro.hub.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Enrollment;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterHealthTest {
  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

  @ParameterizedTest(name = "{0}, last seen {1}s ago → {2} {3}")
  @CsvSource({
    "Enrolled, 10, True, AgentConnected",
    "Enrolled, 89, True, AgentConnected",
    "Enrolled, 90, Unknown, HeartbeatMissed",
    "Enrolled, -1, Unknown, NeverConnected",
    "Revoked, 10, False, CertificateRevoked",
    "Pending, -1, Unknown, NeverConnected"
  })
  void connectedFollowsHeartbeats(
      Enrollment enrollment, long ago, ConditionStatus status, String reason) {
    Instant lastSeen = ago < 0 ? null : NOW.minusSeconds(ago);
    var c = ClusterHealth.of(enrollment, lastSeen, NOW, Duration.ofSeconds(90));
    assertThat(c.status()).isEqualTo(status);
    assertThat(c.reason()).isEqualTo(reason);
    if (status == ConditionStatus.True) {
      assertThat(c.lapsesAt()).isEqualTo(lastSeen.plusSeconds(90));
    }
  }

  @org.junit.jupiter.api.Test
  void anAirGappedClusterIsNeverUnknownForMissingHeartbeats() {
    var c = ClusterHealth.airGapped();
    assertThat(c.status()).isEqualTo(ConditionStatus.False);
    assertThat(c.reason()).isEqualTo("AirGapped");
    assertThat(c.lapsesAt()).as("no heartbeat window to lapse").isNull();
  }
}
