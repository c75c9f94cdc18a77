package io.kapro.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScrapeTest {
  @Test
  void sumsTheSeriesOfANameThatCarryTheGivenLabels() {
    Scrape s =
        Scrape.parse(
            """
            # HELP kapro_runs PromotionRuns by phase
            # TYPE kapro_runs gauge
            kapro_runs{phase="Succeeded"} 2.0
            kapro_runs{phase="Running"} 1.0
            kapro_evidence_total 12.0
            kapro_x{a="1",b="q\\"uote"} 3 1700000000
            """);
    assertThat(s.value("kapro_runs", "phase", "Succeeded")).isEqualTo(2.0);
    assertThat(s.value("kapro_runs")).isEqualTo(3.0);
    assertThat(s.value("kapro_evidence_total")).isEqualTo(12.0);
    assertThat(s.value("kapro_x", "b", "q\\\"uote")).isEqualTo(3.0);
    assertThat(s.value("kapro_runs", "phase", "Failed")).isZero();
  }

  @Test
  void aMissingSeriesOrAMalformedLineIsAnError() {
    Scrape s = Scrape.parse("kapro_a 1\n");
    assertThatThrownBy(() -> s.value("kapro_b")).hasMessageContaining("no series kapro_b");
    assertThatThrownBy(() -> Scrape.parse("kapro_a{phase=\"x\"}\n"))
        .hasMessageContaining("not a Prometheus sample line");
  }
}
