package io.kapro.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HubMetricsTest {
  @Test
  void phasesMoveBetweenGaugesAndEveryRecordingShowsInTheScrape() {
    HubMetrics m = new HubMetrics();
    m.recordRunPhase("ns/a", "Running");
    m.recordRunPhase("ns/b", "Running");
    m.recordRunPhase("ns/a", "Running"); // same phase again: no change
    m.recordRunPhase("ns/a", "Succeeded");
    m.recordTargetPhase("ns/t", "Published");
    m.recordTargetPhase("ns/t", "Converged");
    m.recordGateEvaluation("Approval", "Pending");
    m.recordPublish(Duration.ofMillis(30));
    m.recordPublishError("IOException");
    m.recordConnectedAgents(7);
    m.recordEvidence(5);
    m.recordCoalescedStatusWrites(4);
    m.recordCertificateExpiry("gateway-server", Instant.ofEpochSecond(1_900_000_000));
    String s = m.scrape();
    assertThat(s)
        .contains("kapro_runs{phase=\"Running\"} 1.0")
        .contains("kapro_runs{phase=\"Succeeded\"} 1.0")
        .contains("kapro_targets{phase=\"Published\"} 0.0")
        .contains("kapro_targets{phase=\"Converged\"} 1.0")
        .contains("kapro_gate_evaluations_total{result=\"Pending\",type=\"Approval\"} 1.0")
        .contains("kapro_publish_duration_seconds_count 1")
        .contains("kapro_publish_errors_total{reason=\"IOException\"} 1.0")
        .contains("kapro_agents_connected 7.0")
        .contains("kapro_evidence_total 5.0")
        .contains("kapro_status_writes_coalesced_total 4.0")
        .contains("kapro_certificate_expiry_timestamp_seconds{name=\"gateway-server\"} 1.9E9");
    m.recordRunPhase("ns/b", null); // deleted
    assertThat(m.scrape()).contains("kapro_runs{phase=\"Running\"} 0.0");
  }
}
