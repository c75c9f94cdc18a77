package io.kapro.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 21's stream figures on their own ({@code -Pbench}): the load generator alone against the
 * bare echo, then the hub with as many connected agents ({@link HubStreams}), at {@code
 * kapro.bench.streams} (10,000). Figures to {@code target/benchmarks/streams.json}; {@link
 * FleetBenchIT} runs the same code as part of {@code scripts/bench}.
 */
@Tag("bench")
class HubStreamsBenchIT {
  @Test
  void generatorThenHub() throws Exception {
    BenchSizes s = BenchSizes.fromProperties();
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("machine", Machine.describe());
    all.put("loadAverageAtStart", Machine.loadAverage());
    // kapro.bench.generatorStreams: the generator-alone size when not kapro.bench.streams (both
    // ends of every stream are in this JVM: two file descriptors each)
    int generator = Integer.getInteger("kapro.bench.generatorStreams", s.streams());
    all.put("loadGenerator", HubStreams.generatorAlone(generator, s.ingest()));
    Figures.writeTarget("streams.json", all);
    if (!Boolean.getBoolean("kapro.bench.generatorOnly")) {
      all.put("streams", HubStreams.run(s.streams(), s.heartbeat(), s.streamIdle(), s.ingest()));
      Figures.writeTarget("streams.json", all);
    }
    all.put("loadAverageAtEnd", Machine.loadAverage());
    Figures.writeTarget("streams.json", all);
    assertThat(all).containsKey("loadGenerator");
  }
}
