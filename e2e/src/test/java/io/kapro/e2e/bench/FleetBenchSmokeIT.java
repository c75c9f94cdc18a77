package io.kapro.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.e2e.agent.AgentFootprint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every fleet benchmark at a tiny size, in CI: each must run end to end and write its figures to
 * {@code target/benchmarks/}. No timing is asserted; docs/ is only written by {@code scripts/bench}
 * ({@link FleetBenchIT}).
 */
class FleetBenchSmokeIT {

  @Test
  void publishFanOutPropagationAndIngestion() throws Exception {
    Map<String, Object> f = FleetRun.run(BenchSizes.fromProperties().fleet());
    Figures.writeTarget("fleet-smoke.json", f);
    assertThat(f).containsKeys("fanOut", "pacedNudged", "polled", "ingestion");
  }

  @Test
  void hubWithManyConnectedAgentsIdleAndIngesting(@TempDir Path dir) throws Exception {
    BenchSizes s = BenchSizes.fromProperties();
    Map<String, Object> f =
        HubStreams.run(
            dir,
            s.streams(),
            true,
            s.hubIdle(),
            s.streams(),
            s.heartbeat(),
            s.streamIdle(),
            s.ingest());
    Figures.writeTarget("streams-smoke.json", f);
    assertThat(f).containsKeys("hub", "connect", "idle", "ingestion", "ingestionBareEcho");
    assertThat(f.get("hub"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsKeys("heapUsedMiBAfterFullGc", "startupCpuSeconds", "rssMiB");
    assertThat(f.get("loadGenerator"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("allStreamsAcked", true);
    assertThat(f.get("idle"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("stillConnected", (long) s.streams());
  }

  @Test
  void idleHourAndLocalApiServer() throws Exception {
    Map<String, Object> idle = IdleHour.measure(3);
    Map<String, Object> api = LocalApiBench.run(10, 200);
    Figures.writeTarget("idle-smoke.json", Map.of("idle", idle, "localApi", api));
    assertThat(idle).containsKey("apiWritesPerClusterHour");
    assertThat(api).containsKey("getRatio200to10");
  }

  @Test
  void agentFootprint(@TempDir Path dir) throws Exception {
    var f =
        AgentFootprint.measure(
            dir, FleetBenchIT.variants(), Duration.ofSeconds(5), "2s", Duration.ofSeconds(2));
    Figures.writeTarget("agent-smoke.json", f);
    assertThat(f.get("after")).containsKeys("rssMiB", "startupToFirstPollMs", "hubBytesPerHour");
  }
}
