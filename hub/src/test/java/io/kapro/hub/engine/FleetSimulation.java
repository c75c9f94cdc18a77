package io.kapro.hub.engine;

import io.kapro.api.v1alpha2.GateWhen;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.engine.plan.GateBuilder;
import io.kapro.hub.engine.plan.PlanBuilder;
import io.kapro.hub.engine.plan.SelectorBuilder;
import io.kapro.hub.engine.plan.StageBuilder;
import io.kapro.hub.gate.WebhookObservation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A realistic run over {@code n} clusters: canary (1%) → staging (9%, approval) → prod-eu and
 * prod-us (45% each; waves, maxParallel, maxUnavailable, soak and webhook gates). A seeded fake
 * agent takes 1–3 steps to converge and leaves about 1% of prod Degraded.
 */
final class FleetSimulation {
  final RunHarness h;
  final int n;
  final Map<TargetKey, Integer> convergeAfter = new HashMap<>();
  final Random random = new Random(42);

  FleetSimulation(int n) {
    this.n = n;
    List<ClusterState> clusters = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String ring = i % 100 == 0 ? "canary" : i % 100 < 10 ? "staging" : "prod";
      String region = i % 2 == 0 ? "eu" : "us";
      clusters.add(
          new ClusterState(
              String.format("c-%05d", i),
              Map.of("ring", ring, "region", region),
              i % 97 == 0 ? Reachability.Unknown : Reachability.Connected,
              Map.of("app", "1.0.0"),
              Map.of("app", "0.9.0")));
    }
    GateBuilder soak = GateBuilder.soak("bake", "10m").when(GateWhen.BeforeEachWave);
    GateBuilder hook =
        GateBuilder.webhook(
            "slo", new GateBuilder.WebhookSpec("https://slo.example/check", "5s", null));
    PlanBuilder plan =
        PlanBuilder.of(
            StageBuilder.named("canary", SelectorBuilder.matchLabels(Map.of("ring", "canary")))
                .withWaves("1", "100%"),
            StageBuilder.named("staging", SelectorBuilder.matchLabels(Map.of("ring", "staging")))
                .withDependsOn("canary")
                .withWaves("10%", "100%")
                .withGates(GateBuilder.approval("qa")),
            StageBuilder.named(
                    "prod-eu", SelectorBuilder.matchLabels(Map.of("ring", "prod", "region", "eu")))
                .withDependsOn("staging")
                .withRequiredSoakTime("15m")
                .withWaves("1", "10%", "50%", "100%")
                .withMaxParallel(50)
                .withMaxUnavailable("2%")
                .withGates(soak),
            StageBuilder.named(
                    "prod-us", SelectorBuilder.matchLabels(Map.of("ring", "prod", "region", "us")))
                .withDependsOn("staging")
                .withWaves("1", "10%", "50%", "100%")
                .withMaxParallel(50)
                .withMaxUnavailable("2%")
                .withGates(hook.when(GateWhen.BeforeEachWave)));
    this.h = new RunHarness(plan, clusters);
    h.agent = this::agent;
  }

  private TargetPhase agent(TargetState t) {
    int left = convergeAfter.computeIfAbsent(t.key(), k -> 1 + random.nextInt(3)) - 1;
    convergeAfter.put(t.key(), left);
    if (left > 0) {
      return TargetPhase.Published;
    }
    boolean degraded =
        t.stage().startsWith("prod") && Integer.parseInt(t.cluster().substring(2)) % 101 == 7;
    return degraded ? TargetPhase.Degraded : TargetPhase.Converged;
  }

  /** One round: engine step, answer webhooks and approvals, publisher, agent, a minute passes. */
  EngineResult round() {
    EngineResult r = h.step();
    for (EngineDecision d : r.decisions()) {
      if (d instanceof EngineDecision.CallWebhook c) {
        h.webhooks.add(
            new WebhookObservation(
                c.request().stage(),
                c.request().wave(),
                c.request().gate(),
                true,
                "webhook passed",
                h.now));
      }
    }
    if (h.run.phase() == RunPhase.WaitingForApproval && h.approvals.isEmpty()) {
      h.approve("qa-sign-off", "staging", null);
    }
    h.publish();
    h.converge();
    h.now = h.now.plus(Duration.ofMinutes(1));
    return r;
  }

  int runToEnd(int maxRounds) {
    int rounds = 0;
    while (!h.run.phase().terminal() && rounds < maxRounds) {
      round();
      rounds++;
    }
    return rounds;
  }
}
