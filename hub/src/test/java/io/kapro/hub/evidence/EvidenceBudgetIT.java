package io.kapro.hub.evidence;

import static io.kapro.hub.publish.PublishFixture.NS;
import static io.kapro.hub.publish.PublishFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.UnitPhase;
import io.kapro.api.testing.ApiRequestCounts;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.cluster.KubeClusterDirectory;
import io.kapro.hub.gateway.EvidenceBatch;
import io.kapro.hub.metrics.HubMetrics;
import io.kapro.hub.publish.PublishFixture;
import io.kapro.hub.target.PublishedBundle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Evidence ingestion holds to its API budget (docs/design/api-budget.md), counted on the local API
 * server: with the hub's informer caches a batch reads nothing, writes each Target it concerns once
 * (and its phase label once when the phase moved), and writes the Cluster's durable evidence number
 * once, the write the ack rests on; a replay of durable numbers costs nothing; and once the numbers
 * need not be recorded, evidence that changes nothing visible costs nothing at all. Counts do not
 * depend on load.
 */
class EvidenceBudgetIT {
  private static final ClusterId EU = new ClusterId(NS, "eu-1");
  private final PublishFixture hub = new PublishFixture();
  private final KubeClusterDirectory directory = KubeClusterDirectory.start(hub.client, null);
  private final TargetsByCluster reads = TargetsByCluster.start(hub.client, directory::cached);
  private final KubeEvidenceSink sink =
      new KubeEvidenceSink(hub.client, hub.clock, new HubMetrics(), reads);

  @AfterEach
  void close() {
    reads.close();
    directory.close();
    hub.close();
  }

  /** Waits until both caches hold what the API server holds (so a count sees no stale retry). */
  private void cachesCaughtUp() {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              Cluster c = hub.getCluster("eu-1");
              List<Target> ts = reads.targets(EU);
              return directory
                      .cached(EU)
                      .map(x -> x.getMetadata().getResourceVersion())
                      .filter(rv -> rv.equals(c.getMetadata().getResourceVersion()))
                      .isPresent()
                  && ts.size() == 1
                  && Objects.equals(
                      ts.getFirst().getMetadata().getResourceVersion(),
                      hub.getTarget("run1-prod-eu-1").getMetadata().getResourceVersion());
            });
  }

  private Map<String, Long> counted(Runnable r) {
    Map<String, Long> before = hub.api.requests().snapshot();
    r.run();
    return ApiRequestCounts.delta(before, hub.api.requests().snapshot());
  }

  @Test
  void aBatchReadsNothingAndWritesOncePerVisibleChange() {
    Map<String, String> web = Map.of("web", "1.0.0");
    PublishedBundle b = publishedOnEu1(web);

    // the phase moves: the Target's status, its phase label, the Cluster's evidence number
    Map<String, Long> applied =
        written(new EvidenceBatch(List.of(ev(1, b, UnitPhase.UNIT_PHASE_APPLIED, web))));
    assertThat(applied)
        .isEqualTo(
            Map.of("patch targets/status", 1L, "patch targets", 1L, "patch clusters/status", 1L));
    assertThat(hub.getTarget("run1-prod-eu-1").getStatus().getPhase())
        .isEqualTo(TargetPhase.Applied);
    assertThat(sink.appliedUpTo(EU)).isGreaterThanOrEqualTo(0);

    // the same state again under a new number (a resync): the Target records the number (its
    // guard against a replica replaying an older batch from a stale view) and the Cluster the
    // durable number the ack rests on; still no read
    cachesCaughtUp();
    Map<String, Long> same =
        written(new EvidenceBatch(List.of(ev(2, b, UnitPhase.UNIT_PHASE_APPLIED, web))));
    assertThat(same).isEqualTo(Map.of("patch targets/status", 1L, "patch clusters/status", 1L));
    assertThat(hub.getCluster("eu-1").getStatus().getLastEvidenceNumber()).isEqualTo(2);

    // a replay of numbers already durable: no request at all
    cachesCaughtUp();
    Map<String, Long> replay =
        written(new EvidenceBatch(List.of(ev(2, b, UnitPhase.UNIT_PHASE_APPLIED, web))));
    assertThat(replay).isEmpty();
  }

  /** The API requests {@code batch} costs when the sink writes it for cluster eu-1. */
  private Map<String, Long> written(EvidenceBatch batch) {
    return counted(() -> sink.write(EU, batch));
  }

  /** Cluster eu-1 with Target run1-prod-eu-1 of {@code versions}, published, caches caught up. */
  private PublishedBundle publishedOnEu1(Map<String, String> versions) {
    hub.cluster("eu-1");
    hub.target("run1-prod-eu-1", "eu-1", "run1", versions);
    PublishedBundle b =
        hub.publisher().publish(request("run1-prod-eu-1", "eu-1", "run1", versions));
    Target t = hub.getTarget("run1-prod-eu-1");
    t.getStatus().setPhase(TargetPhase.Published);
    hub.client.resource(t).updateStatus();
    cachesCaughtUp();
    return b;
  }

  private AgentMessage ev(long n, PublishedBundle b, UnitPhase phase, Map<String, String> v) {
    return Evidence.of(n, b.sequence(), b.digest(), phase, v);
  }

  /**
   * Once this replica's numbers reach the hello's (the coalescer then clears {@code
   * recordNumbers}), evidence that changes nothing visible is acked without any request; a visible
   * change writes only the objects whose visible status moved.
   */
  @Test
  void evidenceThatChangesNothingVisibleCostsNoRequestAtAll() {
    Map<String, String> web = Map.of("web", "1.0.0");
    PublishedBundle b = publishedOnEu1(web);
    // the first batch of a stream records its numbers (a fence against another replica's late
    // write of the same items)
    assertThat(
            written(new EvidenceBatch(List.of(ev(1, b, UnitPhase.UNIT_PHASE_APPLIED, web)), true)))
        .isEqualTo(
            Map.of("patch targets/status", 1L, "patch targets", 1L, "patch clusters/status", 1L));
    cachesCaughtUp();
    Target applied = hub.getTarget("run1-prod-eu-1");

    // the same state under new numbers (a periodic resend, the bench's closed loop): nothing
    for (long n = 2; n <= 4; n++) {
      long number = n;
      boolean[] wrote = {true};
      assertThat(
              counted(
                  () ->
                      wrote[0] =
                          sink.write(
                              EU,
                              new EvidenceBatch(
                                  List.of(ev(number, b, UnitPhase.UNIT_PHASE_APPLIED, web)),
                                  false))))
          .isEmpty();
      assertThat(wrote[0]).isFalse();
    }
    assertThat(hub.getTarget("run1-prod-eu-1").getStatus()).isEqualTo(applied.getStatus());
    assertThat(hub.getCluster("eu-1").getStatus().getLastEvidenceNumber()).isEqualTo(1);

    // a visible change: the Target (status and phase label) and the Cluster (the version proven)
    Map<String, Long> converged =
        written(new EvidenceBatch(List.of(ev(5, b, UnitPhase.UNIT_PHASE_CONVERGED, web)), false));
    assertThat(converged)
        .isEqualTo(
            Map.of("patch targets/status", 1L, "patch targets", 1L, "patch clusters/status", 1L));
    assertThat(hub.getTarget("run1-prod-eu-1").getStatus().getPhase())
        .isEqualTo(TargetPhase.Converged);
    assertThat(hub.getTarget("run1-prod-eu-1").getStatus().getEvidence().getNumber()).isEqualTo(5);
    assertThat(hub.getCluster("eu-1").getStatus().getVersions().get("web").getVersion())
        .isEqualTo("1.0.0");
    assertThat(hub.getCluster("eu-1").getStatus().getLastEvidenceNumber()).isEqualTo(5);

    // converged again, and again: nothing
    cachesCaughtUp();
    assertThat(
            written(
                new EvidenceBatch(
                    List.of(
                        ev(6, b, UnitPhase.UNIT_PHASE_CONVERGED, web),
                        ev(7, b, UnitPhase.UNIT_PHASE_CONVERGED, web)),
                    false)))
        .isEmpty();
    // a replica that must record the numbers (a reconnect) does, though nothing else changed
    assertThat(
            written(
                new EvidenceBatch(List.of(ev(8, b, UnitPhase.UNIT_PHASE_CONVERGED, web)), true)))
        .isEqualTo(Map.of("patch targets/status", 1L, "patch clusters/status", 1L));
    assertThat(hub.getCluster("eu-1").getStatus().getLastEvidenceNumber()).isEqualTo(8);
  }

  @Test
  void aStaleCacheCostsOneReadAndStillWritesTheFreshState() {
    Map<String, String> web = Map.of("web", "1.0.0");
    PublishedBundle b = publishedOnEu1(web);
    directory.close(); // the Cluster cache stops here: every later Cluster write starts stale
    Cluster moved = hub.getCluster("eu-1");
    moved.getMetadata().setLabels(Map.of("moved", "yes"));
    hub.client.resource(moved).update();

    Map<String, Long> counts =
        written(new EvidenceBatch(List.of(ev(1, b, UnitPhase.UNIT_PHASE_APPLIED, web))));
    assertThat(counts).containsEntry("get clusters", 1L).containsEntry("patch clusters/status", 2L);
    assertThat(hub.getCluster("eu-1").getStatus().getLastEvidenceNumber()).isEqualTo(1);
    assertThat(hub.getCluster("eu-1").getMetadata().getLabels()).containsEntry("moved", "yes");
  }
}
