package io.kapro.hub.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.testing.ApiRequestCounts;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.TargetSpec;
import io.kapro.api.v1alpha2.TargetStatus;
import io.kapro.hub.engine.EngineDecision;
import io.kapro.hub.engine.TargetKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine's Target transitions are compare-and-set on the phase it decided from: a run
 * reconciler working from a cache that has not yet seen its own last write (or the Target
 * reconciler's publish) must not move a Target back. Seen in EventsQuickstartIT: a Converged canary
 * Target was set to Publishing again and published a second bundle.
 */
class RunWriterIT {

  @Test
  void aTargetThatMovedOnSinceTheEngineSawItIsNotMovedBack() {
    try (LocalKubeApi api = LocalKubeApi.start()) {
      var client = api.client();
      Target t = new Target();
      t.getMetadata().setName("web-1-canary-eu-1");
      TargetSpec spec = new TargetSpec();
      spec.setStage("canary");
      spec.setCluster("eu-1");
      t.setSpec(spec);
      t = client.resource(t).inNamespace("default").create();
      TargetStatus pending = new TargetStatus();
      pending.setPhase(TargetPhase.Pending);
      t.setStatus(pending);
      // the engine's view: the Target as a cache last saw it, Pending (its resourceVersion too)
      Target stale = client.resource(t).inNamespace("default").updateStatus();
      Target moved = client.getKubernetesSerialization().clone(stale);
      TargetStatus converged = new TargetStatus();
      converged.setPhase(TargetPhase.Converged);
      converged.setMessage("converged");
      moved.setStatus(converged);
      client.resource(moved).inNamespace("default").updateStatus();

      PromotionRun run = new PromotionRun();
      run.getMetadata().setName("web-1");
      run.getMetadata().setNamespace("default");
      RunWriter writer = new RunWriter(client);
      writer.apply(
          run,
          new EngineDecision.MarkEligible("canary", "eu-1", List.of()),
          Map.of(new TargetKey("canary", "eu-1"), stale),
          Instant.now());
      assertThat(
              client
                  .resources(Target.class)
                  .inNamespace("default")
                  .withName(t.getMetadata().getName())
                  .get()
                  .getStatus()
                  .getPhase())
          .as("not moved back to Publishing")
          .isEqualTo(TargetPhase.Converged);

      // decided from the phase it still has: written
      Target fresh =
          client
              .resources(Target.class)
              .inNamespace("default")
              .withName(t.getMetadata().getName())
              .get();
      Map<String, Long> before = api.requests().snapshot();
      writer.apply(
          run,
          new EngineDecision.SupersedeTarget("canary", "eu-1", "a newer run"),
          Map.of(new TargetKey("canary", "eu-1"), fresh),
          Instant.now());
      // from the copy in hand: one patch carrying its resourceVersion, no read first
      assertThat(ApiRequestCounts.delta(before, api.requests().snapshot()))
          .isEqualTo(Map.of("patch targets/status", 1L));
      assertThat(
              client
                  .resources(Target.class)
                  .inNamespace("default")
                  .withName(t.getMetadata().getName())
                  .get()
                  .getStatus()
                  .getPhase())
          .isEqualTo(TargetPhase.Superseded);
    }
  }
}
