package io.kapro.hub.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterConnectivity;
import io.kapro.api.v1alpha2.ClusterSpec;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.hub.cluster.connectivity.Connectivity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gateway's connectivity writer never turns an AirGapped cluster Unknown. */
class AirGappedConnectivityTest {
  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

  private static Cluster cluster(ClusterConnectivity model) {
    Cluster c = new Cluster();
    c.getMetadata().setName("edge-1");
    ClusterSpec spec = new ClusterSpec();
    spec.setConnectivity(model);
    c.setSpec(spec);
    ClusterStatus s = new ClusterStatus();
    var air = ClusterHealth.airGapped();
    s.setConditions(
        List.of(
            Conditions.of(
                Kapro.ConditionTypes.CONNECTED, air.status(), air.reason(), air.message(), 1L)));
    c.setStatus(s);
    return c;
  }

  private static Connectivity lost() {
    return new Connectivity(
        Connectivity.ConnectedStatus.UNKNOWN,
        Kapro.Reasons.HEARTBEAT_MISSED,
        NOW,
        NOW.minusSeconds(600),
        "1.0",
        null,
        null);
  }

  @Test
  void missedHeartbeatsLeaveAnAirGappedClusterAlone() {
    Cluster c = cluster(ClusterConnectivity.AirGapped);
    ConnectivityStatusWriter.apply(c, lost(), NOW);
    var connected =
        Conditions.find(c.getStatus().getConditions(), Kapro.ConditionTypes.CONNECTED)
            .orElseThrow();
    assertThat(connected.getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(connected.getReason()).isEqualTo("AirGapped");
    // the hub logs what the condition says, not "Connected=Unknown"
    assertThat(ConnectivityStatusWriter.lapsed(c, lost()))
        .startsWith("no heartbeat on this replica since " + NOW.minusSeconds(600))
        .contains("; Connected=False (AirGapped: no link is expected")
        .doesNotContain("Unknown");
  }

  @Test
  void aConnectedClusterTurnsUnknown() {
    Cluster c = cluster(ClusterConnectivity.Connected);
    assertThat(ConnectivityStatusWriter.apply(c, lost(), NOW)).isTrue();
    var connected =
        Conditions.find(c.getStatus().getConditions(), Kapro.ConditionTypes.CONNECTED)
            .orElseThrow();
    assertThat(connected.getStatus()).isEqualTo(ConditionStatus.Unknown);
    assertThat(ConnectivityStatusWriter.lapsed(c, lost()))
        .contains("; Connected=Unknown (HeartbeatMissed: no heartbeat since");
  }
}
