package io.kapro.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21's hub figures on their own ({@code -Pbench}): the hub in its own process with {@code
 * kapro.bench.hubClusters} Clusters and Targets, then as many connected agents of the load
 * generator, then the same agents against the bare echo ({@link HubStreams}), at {@code
 * kapro.bench.streams} (10,000). Figures to {@code target/benchmarks/streams.json}; {@link
 * FleetBenchIT} runs the same code as part of {@code scripts/bench}.
 */
@Tag("bench")
class HubStreamsBenchIT {
  @TempDir Path dir;

  @Test
  void hubWithClustersThenStreams() throws Exception {
    BenchSizes s = BenchSizes.fromProperties();
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("machine", Machine.describe());
    all.put("loadAverageAtStart", Machine.loadAverage());
    all.put(
        "streams",
        HubStreams.run(
            dir,
            s.hubClusters(),
            true,
            s.hubIdle(),
            s.streams(),
            s.heartbeat(),
            s.streamIdle(),
            s.ingest()));
    all.put("loadAverageAtEnd", Machine.loadAverage());
    Figures.writeTarget("streams.json", all);
    assertThat(all).containsKey("streams");
  }
}
