package io.kapro.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.cli.Cli;
import io.kapro.cli.Fleets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code kapro status} says what a run waits for when its Ready condition says more than the phase
 * (the hub writes {@code run Running: waiting for unreachable cluster(s) …}).
 */
class StatusRunMessageTest {
  @Test
  void showsWhatTheRunWaitsFor() {
    try (LocalKubeApi api = LocalKubeApi.start()) {
      KubernetesClient c = api.client();
      Fleets.fleet(c, "edge");
      Fleets.plan(c, "default");
      Fleets.cluster(c, "edge", "dev-1", "dev", "1.4.0", true);
      PromotionRun run = Fleets.run(c, "edge-run-1", "edge", "1.4.0", RunPhase.Running);
      String waiting =
          "waiting for unreachable cluster(s) [dev/dev-1 (cluster dev-1 is AirGapped)] up to"
              + " their stage's maxWait after publication";
      PromotionRun fresh = c.resource(run).get();
      fresh
          .getStatus()
          .setConditions(
              List.of(
                  Conditions.of(
                      Kapro.ConditionTypes.READY,
                      ConditionStatus.True,
                      Kapro.Reasons.RECONCILED,
                      "run Running: " + waiting,
                      1L)));
      c.resource(fresh).updateStatus();
      Cli.Result r = new Cli(api).run("status", "edge");
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.lines()).contains("Run: " + waiting);
      Cli.Result json = new Cli(api).run("status", "edge", "-o", "json");
      assertThat(json.exit()).as(json.toString()).isZero();
      assertThat(String.join("\n", json.lines())).contains("\"runMessage\"");
    }
  }
}
