package io.kapro.cli.why;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterSpec;
import io.kapro.api.v1alpha2.Gate;
import io.kapro.api.v1alpha2.GateResult;
import io.kapro.api.v1alpha2.GateStatus;
import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.PlanSpec;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.PromotionRunSpec;
import io.kapro.api.v1alpha2.PromotionRunStatus;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.SoakGate;
import io.kapro.api.v1alpha2.Stage;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.v1alpha2.StageStatus;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.TargetSpec;
import io.kapro.api.v1alpha2.TargetStatus;
import io.kapro.api.v1alpha2.UnitVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Explainer cases the API tests do not reach: soak, time window, dependencies, pause, halt. */
class ExplainerTest {

  private static PromotionRun run(RunPhase phase, List<StageStatus> stages) {
    Stage qa = new Stage();
    qa.setName("qa");
    Stage prod = new Stage();
    prod.setName("prod");
    prod.setDependsOn(List.of("qa"));
    Gate soak = new Gate();
    soak.setName("bake");
    soak.setType(GateType.Soak);
    SoakGate s = new SoakGate();
    s.setDuration("30m");
    soak.setSoak(s);
    prod.setGates(List.of(soak));
    PlanSpec plan = new PlanSpec();
    plan.setStages(List.of(qa, prod));
    PromotionRunSpec spec = new PromotionRunSpec();
    spec.setFleet("web");
    spec.setPlan("default");
    spec.setPlanSnapshot(plan);
    PromotionRun r = new PromotionRun();
    r.setMetadata(new ObjectMetaBuilder().withName("r1").build());
    r.setSpec(spec);
    PromotionRunStatus st = new PromotionRunStatus();
    st.setPhase(phase);
    st.setStages(stages);
    r.setStatus(st);
    return r;
  }

  private static StageStatus stage(String name, StagePhase phase) {
    StageStatus s = new StageStatus();
    s.setName(name);
    s.setPhase(phase);
    return s;
  }

  private static Target target(TargetPhase phase, GateStatus... gates) {
    Target t = new Target();
    t.setMetadata(new ObjectMetaBuilder().withName("r1-prod-c1").build());
    TargetSpec spec = new TargetSpec();
    spec.setRun("r1");
    spec.setStage("prod");
    spec.setCluster("c1");
    spec.setWave(1);
    UnitVersion u = new UnitVersion();
    u.setName("web");
    u.setVersion("2.0.0");
    spec.setUnits(List.of(u));
    t.setSpec(spec);
    TargetStatus st = new TargetStatus();
    st.setPhase(phase);
    st.setGates(List.of(gates));
    t.setStatus(st);
    return t;
  }

  private static GateStatus gate(String name, GateType type, GateResult result, String message) {
    GateStatus g = new GateStatus();
    g.setName(name);
    g.setType(type);
    g.setResult(result);
    g.setSince("2026-11-21T10:00:00Z");
    g.setMessage(message);
    return g;
  }

  private static Cluster cluster(boolean paused) {
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withName("c1").build());
    ClusterSpec spec = new ClusterSpec();
    spec.setPaused(paused);
    c.setSpec(spec);
    return c;
  }

  @Test
  void soakSaysUntilWhen() {
    Why w =
        Explainer.explain(
            "c1",
            cluster(false),
            run(
                RunPhase.Running,
                List.of(stage("qa", StagePhase.Succeeded), stage("prod", StagePhase.Soaking))),
            target(TargetPhase.Waiting, gate("bake", GateType.Soak, GateResult.Pending, null)));
    assertThat(w.reasons())
        .containsExactly(
            "held by gate bake (Soak) since 2026-11-21T10:00:00Z: soaking for 30m, until 2026-11-21T10:30:00Z");
    assertThat(w.hints()).containsExactly("it releases by itself when the soak time has passed");
  }

  @Test
  void aPendingTargetWaitsForItsDependencyAndWave() {
    Why w =
        Explainer.explain(
            "c1",
            cluster(false),
            run(RunPhase.Running, List.of(stage("qa", StagePhase.Running))),
            target(TargetPhase.Pending));
    assertThat(w.reasons())
        .containsExactly(
            "stage prod waits for stage qa (Running)",
            "it is in wave 2 of stage prod (the stage has not started)");
  }

  @Test
  void timeWindowsAndFailedGatesAndAHaltedRun() {
    Why w =
        Explainer.explain(
            "c1",
            cluster(false),
            run(
                RunPhase.Halted,
                List.of(stage("qa", StagePhase.Succeeded), stage("prod", StagePhase.Failed))),
            target(
                TargetPhase.Waiting,
                gate(
                    "hours",
                    GateType.TimeWindow,
                    GateResult.Pending,
                    "opens Mon 08:00 Europe/Berlin"),
                gate(
                    "smoke",
                    GateType.Webhook,
                    GateResult.Failed,
                    "HTTP 500 from https://ci/smoke")));
    assertThat(w.reasons())
        .containsExactly(
            "held by gate hours (TimeWindow) since 2026-11-21T10:00:00Z: outside the allowed time window:"
                + " opens Mon 08:00 Europe/Berlin",
            "gate smoke (Webhook) failed since 2026-11-21T10:00:00Z: HTTP 500 from https://ci/smoke",
            "run r1 is Halted");
  }

  @Test
  void aPausedClusterSaysHowToResume() {
    Why w =
        Explainer.explain(
            "c1",
            cluster(true),
            run(RunPhase.Running, List.of(stage("qa", StagePhase.Succeeded))),
            target(TargetPhase.Pending));
    assertThat(w.reasons().get(0))
        .isEqualTo("cluster c1 is paused (spec.paused=true): nothing is published to it");
    assertThat(w.hints().get(0)).contains("kubectl patch clusters.kapro.io c1", "\"paused\":false");
  }

  @Test
  void aFailedTargetPointsAtANewPromotion() {
    Why w =
        Explainer.explain(
            "c1", cluster(false), run(RunPhase.Failed, List.of()), target(TargetPhase.Failed));
    assertThat(w.summary()).startsWith("c1 is not on web=2.0.0 yet: Failed");
    assertThat(w.hints())
        .containsExactly(
            "fix the cause above, then promote again: kapro promote web --unit <unit> --version <version>");
    assertThat(w.reasons()).containsExactly("run r1 is Failed");
  }

  private static io.kapro.api.v1alpha2.Condition condition(
      String type, boolean on, String reason, String message) {
    var c =
        io.kapro.api.Conditions.of(
            type,
            on
                ? io.kapro.api.v1alpha2.ConditionStatus.True
                : io.kapro.api.v1alpha2.ConditionStatus.False,
            reason,
            message,
            1L);
    c.setLastTransitionTime("2026-11-21T11:00:00Z");
    return c;
  }

  @Test
  void aRegressionAfterConvergedNamesTheUpstreamReason() {
    Target t = target(TargetPhase.Degraded);
    t.getStatus()
        .setConditions(
            List.of(
                condition(
                    "Degraded",
                    true,
                    "TestFailed",
                    "unit web Degraded: Ready=False (TestFailed): Helm test failed"),
                condition("Drifted", false, "InSync", "every managed field holds")));
    Why w = Explainer.explain("c1", cluster(false), run(RunPhase.Halted, List.of()), t);
    assertThat(w.reasons())
        .contains(
            "the local controller reports a problem (TestFailed) since 2026-11-21T11:00:00Z:"
                + " unit web Degraded: Ready=False (TestFailed): Helm test failed");
    assertThat(w.hints()).anyMatch(h -> h.startsWith("soak and health gates of later stages fail"));
  }

  @Test
  void driftAndOwnerConflictsSayWhatChangedAndWhatToDo() {
    Target drifted = target(TargetPhase.Converged);
    drifted
        .getStatus()
        .setConditions(
            List.of(
                condition(
                    "Drifted",
                    true,
                    "FieldDrifted",
                    "unit web: spec.chart.spec.version is '1.9.0', the bundle set '2.0.0'")));
    Why w = Explainer.explain("c1", cluster(false), run(RunPhase.Running, List.of()), drifted);
    assertThat(w.reasons())
        .contains(
            "drift since 2026-11-21T11:00:00Z: unit web: spec.chart.spec.version is '1.9.0',"
                + " the bundle set '2.0.0'");
    assertThat(w.hints()).anyMatch(h -> h.contains("set spec.drift: Reapply"));

    Target fought = target(TargetPhase.Converged);
    fought
        .getStatus()
        .setConditions(
            List.of(
                condition(
                    "Drifted",
                    true,
                    "OwnerConflict",
                    "unit web: reverted 3 times within PT10M by Kustomization flux-system/apps")));
    w = Explainer.explain("c1", cluster(false), run(RunPhase.Running, List.of()), fought);
    assertThat(w.reasons()).anyMatch(r -> r.contains("Kustomization flux-system/apps"));
    assertThat(w.hints()).anyMatch(h -> h.contains("docs/operations.md"));
  }
}
