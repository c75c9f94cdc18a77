package io.kapro.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kapro.api.Examples;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.GateResult;
import io.kapro.api.v1alpha2.GateStatus;
import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionSpec;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.UnitVersion;
import io.kapro.api.v1alpha2.WebhookPolicy;
import io.kapro.metrics.testing.LocalPrometheus;
import io.kapro.metrics.testing.TestExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo fleet promoted with {@code examples/metrics-gate/plan.yaml}: its prod stage is gated on
 * a PromQL query against the real Prometheus (scraping a test exporter whose error ratios the test
 * sets). The run waits while the query fails, proceeds once it held the required number of times in
 * a row, and a later run halts (onFailure: Halt) when the failure limit is passed; the prod
 * Target's gate status shows the values.
 */
class MetricsGateE2EIT {
  private static final Duration RUN = Duration.ofMinutes(3);
  private static final String PLAN = "canary-then-prod-on-metrics";
  private static final String PROMOTION = "shop-on-metrics";

  @TempDir Path dir;
  private final List<String> log = new ArrayList<>();
  private DemoFleet fleet;
  private TestExporter exporter;
  private LocalPrometheus prometheus;

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
    if (exporter != null) {
      exporter.close();
    }
  }

  private synchronized void say(String line) {
    log.add(line);
  }

  private void errorRatio(double value) {
    for (String c : fleet.clusterNames()) {
      exporter.set("error_ratio{cluster=\"" + c + "\"}", value);
    }
  }

  /** The example Plan, pointed at the local Prometheus, measured every second. */
  private void applyPlan(int failureLimit) throws java.io.IOException {
    ObjectNode plan =
        Examples.read(Examples.repoRoot().resolve("examples/metrics-gate/plan.yaml")).stream()
            .filter(m -> m.kind().equals("Plan"))
            .findFirst()
            .orElseThrow()
            .object()
            .deepCopy();
    Plan typed = (Plan) Examples.typed(plan);
    var gate = typed.getSpec().getStages().get(1).getGates().getFirst().getMetrics();
    gate.setAddress(prometheus.url());
    gate.setSecretRef(null); // plain HTTP on loopback: no credentials to send
    gate.setInterval("1s");
    gate.setConsecutiveSuccesses(3);
    gate.setFailureLimit(failureLimit);
    var plans = fleet.client().resources(Plan.class);
    if (plans.withName(PLAN).get() == null) {
      plans.resource(typed).create();
    } else {
      plans
          .withName(PLAN)
          .edit(
              p -> {
                p.setSpec(typed.getSpec());
                return p;
              });
    }
  }

  private void promote(String web, String api) {
    var promotions = fleet.client().resources(Promotion.class);
    List<UnitVersion> units = List.of(unit("web", web), unit("api", api));
    if (promotions.withName(PROMOTION).get() == null) {
      Promotion p = new Promotion();
      p.getMetadata().setName(PROMOTION);
      PromotionSpec spec = new PromotionSpec();
      spec.setFleet("shop");
      spec.setPlan(PLAN);
      spec.setUnits(units);
      p.setSpec(spec);
      promotions.resource(p).create();
    } else {
      promotions
          .withName(PROMOTION)
          .edit(
              p -> {
                p.getSpec().setUnits(units);
                return p;
              });
    }
  }

  private static UnitVersion unit(String name, String version) {
    UnitVersion u = new UnitVersion();
    u.setName(name);
    u.setVersion(version);
    return u;
  }

  private String awaitRun(String notThis) {
    return await()
        .atMost(RUN)
        .until(
            () -> fleet.currentRun(PROMOTION).filter(r -> !r.equals(notThis)), Optional::isPresent)
        .orElseThrow();
  }

  private Target gatedProdTarget(String run) {
    return fleet.targets(run).stream()
        .filter(t -> t.getSpec().getStage().equals("prod") && t.getSpec().getWave() == 0)
        .findFirst()
        .orElse(null);
  }

  private static GateStatus gate(Target t) {
    if (t == null || t.getStatus() == null || t.getStatus().getGates() == null) {
      return null;
    }
    return t.getStatus().getGates().stream()
        .filter(g -> g.getType() == GateType.Metrics)
        .findFirst()
        .orElse(null);
  }

  private RunPhase phase(String run) {
    return fleet
        .run(run)
        .map(r -> r.getStatus() == null ? null : r.getStatus().getPhase())
        .orElse(null);
  }

  @Test
  @Timeout(300)
  void prodWaitsWhileTheQueryFailsProceedsWhenItHoldsAndHaltsPastTheFailureLimit()
      throws Exception {
    fleet = DemoFleet.start(DemoOptions.defaults().withClusters(3), dir, this::say);
    fleet.applyBaseline();
    assertThat(new DemoRun(fleet, l -> {}, true).follow("shop-1-3-0", RUN).phase())
        .as(String.join("\n", log))
        .isEqualTo(RunPhase.Succeeded);
    exporter = TestExporter.start();
    prometheus = LocalPrometheus.start(exporter.target());
    fleet
        .client()
        .resources(Fleet.class)
        .withName("shop")
        .edit(
            f -> {
              WebhookPolicy w = new WebhookPolicy();
              w.setAllowPrivateDestinations(true); // Prometheus is on loopback here
              f.getSpec().setWebhooks(w);
              return f;
            });

    // 1. the query fails: prod waits, its gate status counts the failures and shows the values
    errorRatio(0.5);
    applyPlan(100);
    promote("1.4.0", "v1.4.0");
    String first = awaitRun(null);
    await()
        .atMost(RUN)
        .untilAsserted(
            () -> {
              Target t = gatedProdTarget(first);
              GateStatus g = gate(t);
              assertThat(g).isNotNull();
              assertThat(g.getMetrics()).as("measured at least once").isNotNull();
              assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Waiting);
              assertThat(g.getResult()).isEqualTo(GateResult.Pending);
              assertThat(g.getMetrics().getFailures()).isGreaterThanOrEqualTo(2);
              assertThat(g.getMetrics().getLastResult()).isEqualTo("Failed");
              assertThat(g.getMetrics().getLastValues())
                  .singleElement()
                  .asString()
                  .endsWith("=0.5");
              assertThat(g.getMetrics().getQuery())
                  .isEqualTo("max(error_ratio{cluster=\"" + t.getSpec().getCluster() + "\"})\n");
            });
    assertThat(phase(first)).isNotEqualTo(RunPhase.Succeeded);

    // 2. the query holds: three successes in a row let prod go, and the run succeeds
    errorRatio(0.001);
    await().atMost(RUN).until(() -> phase(first) == RunPhase.Succeeded);
    GateStatus passed = gate(gatedProdTarget(first));
    assertThat(passed.getResult()).isEqualTo(GateResult.Passed);
    assertThat(passed.getMetrics().getConsecutiveSuccesses()).isGreaterThanOrEqualTo(3);
    assertThat(passed.getMetrics().getLastValues()).singleElement().asString().endsWith("=0.001");
    assertThat(passed.getMessage()).startsWith("held 3 measurement(s) in a row");

    // 3. a new run with failureLimit 1: the second failure fails the Target and halts the run
    errorRatio(0.5);
    applyPlan(1);
    promote("1.5.0", "v1.5.0");
    String second = awaitRun(first);
    await().atMost(RUN).until(() -> phase(second) == RunPhase.Halted);
    Target failed = gatedProdTarget(second);
    assertThat(failed.getStatus().getPhase()).isEqualTo(TargetPhase.Failed);
    // the first measurement may still see the last scrape of 0.001 (Prometheus keeps the latest
    // sample until the next scrape), so it is "2 of 2" or "2 of 3": the second failure decides
    assertThat(failed.getStatus().getMessage())
        .containsPattern(
            "gate error-ratio failed: 2 of [23] measurement\\(s\\) failed, more than failureLimit 1");
    GateStatus g = gate(failed);
    assertThat(g.getResult()).isEqualTo(GateResult.Failed);
    assertThat(g.getMetrics().getLastValues()).singleElement().asString().endsWith("=0.5");
  }
}
