package io.kapro.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Re-renders the issue-11 section of docs/benchmarks.md and docs/benchmarks-fleet.json from the
 * figures of the last {@link FleetBenchIT} run ({@code e2e/target/benchmarks/fleet.json}) without
 * measuring again, e.g. after the notes changed:
 *
 * <pre>
 * ./mvnw -B -ntp -Pbench -pl e2e -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 *   -Dit.test=FleetBenchReportIT -Dfailsafe.failIfNoSpecifiedTests=false
 *   -Dkapro.bench.writeDocs=true</pre>
 */
@Tag("bench")
class FleetBenchReportIT {

  @Test
  void rerender() throws Exception {
    Path figures = Path.of("target", "benchmarks", "fleet.json");
    assertThat(figures).as("figures of a FleetBenchIT run (scripts/bench)").exists();
    Map<String, Object> all = Figures.read(figures);
    String md = BenchReport.markdown(all);
    assertThat(md).contains("## Issue 11");
    if (Boolean.getBoolean("kapro.bench.writeDocs")) {
      BenchReport.write(FleetBenchIT.docsDir(), all);
      assertThat(Files.readString(FleetBenchIT.docsDir().resolve("benchmarks.md")))
          .contains(BenchReport.BEGIN);
    }
  }
}
