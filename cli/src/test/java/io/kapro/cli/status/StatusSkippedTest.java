package io.kapro.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.TargetStatus;
import io.kapro.cli.Cli;
import io.kapro.cli.Fleets;
import org.junit.jupiter.api.Test;

/** {@code kapro status} lists what the run skipped or cancelled, and why. */
class StatusSkippedTest {
  @Test
  void listsSkippedAndCancelledTargetsWithTheirReason() {
    try (LocalKubeApi api = LocalKubeApi.start()) {
      KubernetesClient c = api.client();
      Fleets.fleet(c, "edge");
      Fleets.plan(c, "default");
      Fleets.cluster(c, "edge", "dev-1", "dev", "1.4.0", true);
      Fleets.cluster(c, "edge", "prod-1", "prod", "1.3.0", false);
      Fleets.cluster(c, "edge", "prod-2", "prod", "1.3.0", true);
      Fleets.run(c, "edge-run-1", "edge", "1.4.0", RunPhase.Aborted);
      Fleets.target(c, "edge-run-1", "dev", "dev-1", "1.4.0", TargetPhase.Converged, null);
      TargetStatus skipped = new TargetStatus();
      skipped.setMessage("Unreachable: cluster prod-1 is AirGapped (unreachable: Skip)");
      Fleets.target(c, "edge-run-1", "prod", "prod-1", "1.4.0", TargetPhase.Skipped, skipped);
      TargetStatus cancelled = new TargetStatus();
      cancelled.setMessage("run aborted");
      Fleets.target(c, "edge-run-1", "prod", "prod-2", "1.4.0", TargetPhase.Cancelled, cancelled);
      Cli.Result r = new Cli(api).run("status", "edge");
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.lines())
          .endsWith(
              "skipped: prod-1 (stage prod): Unreachable: cluster prod-1 is AirGapped"
                  + " (unreachable: Skip)",
              "cancelled: prod-2 (stage prod): run aborted");
    }
  }
}
