package io.kapro.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kapro.api.Examples;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard shipped with the chart queries only series the hub exports. */
class DashboardTest {
  private static final Pattern SERIES = Pattern.compile("kapro_[a-z_]+");

  @Test
  void everySeriesTheDashboardQueriesIsInTheScrape() throws Exception {
    Path file = Examples.repoRoot().resolve("charts/hub/dashboards/kapro.json");
    JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
    List<String> exprs = new ArrayList<>();
    dashboard
        .get("panels")
        .forEach(p -> p.get("targets").forEach(t -> exprs.add(t.get("expr").asText())));
    Set<String> used = new TreeSet<>();
    for (String e : exprs) {
      Matcher m = SERIES.matcher(e);
      while (m.find()) {
        used.add(m.group());
      }
    }
    assertThat(used).hasSizeGreaterThanOrEqualTo(12);

    HubMetrics metrics = new HubMetrics();
    metrics.recordRunPhase("ns/r", "Running");
    metrics.recordTargetPhase("ns/t", "Converged");
    metrics.recordGateEvaluation("Soak", "Passed");
    metrics.recordPublish(Duration.ofMillis(20));
    metrics.recordPublishError("IOException");
    metrics.recordEvidence(1);
    metrics.recordStatusWrites(1);
    metrics.recordCoalescedStatusWrites(1);
    metrics.recordCertificateExpiry("ca", Instant.now());
    metrics.eventDelivered("io.kapro.run.started");
    metrics.eventDeliveryFailed();
    metrics.eventUndeliverable();
    metrics.outboxDepth("default", 0);
    metrics.inboundEvent("created");
    Set<String> exported = new TreeSet<>();
    for (String line : metrics.scrape().split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        exported.add(line.split("[{ ]", 2)[0]);
      }
    }
    assertThat(exported).containsAll(used);
  }
}
