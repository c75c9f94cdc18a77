package io.kapro.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The issue-11 report renders from the committed figures (docs/benchmarks-fleet.json), whose {@code
 * agent} part the issue-22 benchmark writes: every placeholder of the report and its notes has its
 * figure (a format mismatch would only surface in a 15-minute bench run otherwise).
 */
class BenchReportTest {

  @Test
  void rendersFromTheCommittedFigures() throws Exception {
    Map<String, Object> all = Figures.read(FleetBenchIT.docsDir().resolve("benchmarks-fleet.json"));
    @SuppressWarnings("unchecked")
    Map<String, Object> after =
        (Map<String, Object>) ((Map<String, Object>) all.get("agent")).get("after");
    String md = BenchReport.markdown(all);
    assertThat(md)
        .contains("## Issue 11", "before issue 22", "chosen stack")
        .contains("| 4 | agent RSS idle (chosen stack) | " + after.get("rssMiB") + " MiB")
        .contains("**Agent RSS: " + after.get("rssMiB") + " MiB with the chosen stack");
  }
}
