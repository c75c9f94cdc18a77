package io.kapro.e2e.bench;

import java.time.Duration;

/**
 * Sizes of the fleet benchmarks: defaults by {@code kapro.scale} ({@code large} under {@code
 * -Pbench}), each overridable with its own system property.
 *
 * <ul>
 *   <li>{@code kapro.bench.clusters}: clusters and connected agents for publish fan-out,
 *       propagation and ingestion (1,000; {@code -Dkapro.bench.clusters=10000} for the large run)
 *   <li>{@code kapro.bench.paced}, {@code kapro.bench.polled}: Targets timed one by one with
 *       nudges, and with polling agents
 *   <li>{@code kapro.bench.pollSeconds}: the polling agents' interval
 *   <li>{@code kapro.bench.ingestSeconds}: length of each ingestion window
 *   <li>{@code kapro.bench.hubClusters}: Clusters (and as many Targets) for the hub's footprint
 *       (10,000, issue 21; the local API server indexes its objects since issue 21's budget work)
 *   <li>{@code kapro.bench.agentIdleSeconds}: the agent's idle period
 *   <li>{@code kapro.bench.streams}: connected agents of the load generator for the hub's stream
 *       figures (connect, idle, ingestion; 10,000 large, issue 21)
 *   <li>{@code kapro.bench.streamIdleSeconds}, {@code kapro.bench.heartbeatSeconds}: the idle
 *       window with those agents only heartbeating, and their heartbeat interval (the agent's
 *       default, 30 s, when large)
 *   <li>{@code kapro.bench.idleClusters}: clusters of the counted idle hour ({@link IdleHour};
 *       10,000 large)
 *   <li>{@code kapro.bench.hubIdleSeconds}: the idle window of the hub with {@code hubClusters}
 * </ul>
 */
record BenchSizes(
    int clusters,
    int paced,
    double pacedPerSecond,
    int polled,
    Duration poll,
    Duration ingest,
    int hubClusters,
    Duration agentIdle,
    int streams,
    Duration streamIdle,
    Duration heartbeat,
    int idleClusters,
    Duration hubIdle) {

  static BenchSizes fromProperties() {
    boolean large = "large".equals(System.getProperty("kapro.scale", "small"));
    return new BenchSizes(
        integer("kapro.bench.clusters", large ? 1000 : 6),
        integer("kapro.bench.paced", large ? 100 : 3),
        Double.parseDouble(System.getProperty("kapro.bench.pacedPerSecond", "5")),
        integer("kapro.bench.polled", large ? 60 : 3),
        Duration.ofSeconds(integer("kapro.bench.pollSeconds", large ? 10 : 2)),
        Duration.ofSeconds(integer("kapro.bench.ingestSeconds", large ? 15 : 2)),
        integer("kapro.bench.hubClusters", large ? 10_000 : 50),
        Duration.ofSeconds(integer("kapro.bench.agentIdleSeconds", large ? 120 : 8)),
        integer("kapro.bench.streams", large ? 10_000 : 20),
        Duration.ofSeconds(integer("kapro.bench.streamIdleSeconds", large ? 60 : 4)),
        Duration.ofSeconds(integer("kapro.bench.heartbeatSeconds", large ? 30 : 1)),
        integer("kapro.bench.idleClusters", large ? 10_000 : 3),
        Duration.ofSeconds(integer("kapro.bench.hubIdleSeconds", large ? 30 : 2)));
  }

  FleetRun.Sizes fleet() {
    return new FleetRun.Sizes(clusters, paced, pacedPerSecond, polled, poll, ingest);
  }

  private static int integer(String property, int dflt) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      int i = Integer.parseInt(v.strip());
      if (i < 1) {
        throw new NumberFormatException("must be at least 1");
      }
      return i;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + property + " must be a whole number ≥ 1, got '" + v + "'", e);
    }
  }
}
