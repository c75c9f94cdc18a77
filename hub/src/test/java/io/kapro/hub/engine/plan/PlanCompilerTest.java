package io.kapro.hub.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.kapro.api.Examples;
import io.kapro.api.v1alpha2.Gate;
import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.GateWhen;
import io.kapro.api.v1alpha2.LabelSelector;
import io.kapro.api.v1alpha2.LabelSelectorRequirement;
import io.kapro.api.v1alpha2.OnFailure;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.api.v1alpha2.SelectorOperator;
import io.kapro.api.v1alpha2.SoakGate;
import io.kapro.api.v1alpha2.Stage;
import io.kapro.api.v1alpha2.TimeWindow;
import io.kapro.api.v1alpha2.TimeWindowGate;
import io.kapro.api.v1alpha2.Unlock;
import io.kapro.api.v1alpha2.WebhookGate;
import io.kapro.api.v1alpha2.Weekday;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Plan CRD's every field reaches the engine, and the quickstart plan is valid for it. */
class PlanCompilerTest {

  @Test
  void theQuickstartPlanIsValidForTheEngine() {
    Plan plan = (Plan) Examples.typed(Examples.first("Plan"));
    PlanValidation v = PlanCompiler.compile(plan.getSpec());
    assertThat(v).isInstanceOf(PlanValidation.Valid.class);
    CompiledPlan compiled = ((PlanValidation.Valid) v).plan();
    assertThat(compiled.stage("canary").requiredSoakTime()).isEqualTo(Duration.ofMinutes(10));
    assertThat(compiled.stage("prod").gates()).hasSize(1);
  }

  @Test
  void everyFieldIsMapped() {
    Stage s = new Stage();
    s.setName("prod");
    LabelSelector selector = new LabelSelector();
    selector.setMatchLabels(Map.of("env", "prod"));
    LabelSelectorRequirement r = new LabelSelectorRequirement();
    r.setKey("region");
    r.setOperator(SelectorOperator.NotIn);
    r.setValues(List.of("cn"));
    selector.setMatchExpressions(List.of(r));
    s.setSelector(selector);
    s.setDependsOn(List.of("canary"));
    s.setUnlock(Unlock.Any);
    s.setRequiredSoakTime("1.5h");
    s.setWaves(List.of("1", "10%", "100%"));
    s.setMaxParallel(7);
    s.setMaxUnavailable(new IntOrString("10%"));
    s.setOnFailure(OnFailure.Rollback);
    s.setTimeout("45m");
    Gate soak = gate("bake", GateType.Soak);
    SoakGate soakSettings = new SoakGate();
    soakSettings.setDuration("20m");
    soak.setSoak(soakSettings);
    soak.setWhen(GateWhen.BeforeEachWave);
    Gate window = gate("hours", GateType.TimeWindow);
    TimeWindowGate tw = new TimeWindowGate();
    tw.setTimeZone("Europe/Berlin");
    TimeWindow w = new TimeWindow();
    w.setDays(List.of(Weekday.Mon, Weekday.Fri));
    w.setStart("22:00");
    w.setEnd("06:00");
    tw.setAllow(List.of(w));
    window.setTimeWindow(tw);
    Gate hook = gate("slo", GateType.Webhook);
    WebhookGate wh = new WebhookGate();
    wh.setUrl("https://slo.example/check");
    wh.setTimeout("3s");
    wh.setHeaders(Map.of("X-Team", "shop"));
    hook.setWebhook(wh);
    s.setGates(
        List.of(
            gate("ok", GateType.Approval), soak, window, hook, gate("healthy", GateType.Health)));
    Stage canary = new Stage();
    canary.setName("canary");
    canary.setSelector(new LabelSelector());
    canary.setMaxUnavailable(new IntOrString(2));
    var spec = new io.kapro.api.v1alpha2.PlanSpec();
    spec.setStages(List.of(canary, s));
    spec.setAllowOverlap(true);

    CompiledPlan plan = ((PlanValidation.Valid) PlanCompiler.compile(spec)).plan();
    assertThat(plan.allowOverlap()).isTrue();
    assertThat(plan.stage("canary").maxUnavailable().allowed(100)).isEqualTo(2);
    StagePlan prod = plan.stage("prod");
    assertThat(prod.selector().matches(Map.of("env", "prod", "region", "eu"))).isTrue();
    assertThat(prod.selector().matches(Map.of("env", "prod", "region", "cn"))).isFalse();
    assertThat(prod.dependsOn()).containsExactly("canary");
    assertThat(prod.unlock()).isEqualTo(io.kapro.api.v1alpha2.Unlock.Any);
    assertThat(prod.requiredSoakTime()).isEqualTo(Duration.ofMinutes(90));
    assertThat(prod.waves()).hasSize(3);
    assertThat(prod.maxParallel()).isEqualTo(7);
    assertThat(prod.maxUnavailable().allowed(50)).isEqualTo(5);
    assertThat(prod.onFailure()).isEqualTo(OnFailure.Rollback);
    assertThat(prod.timeout()).isEqualTo(Duration.ofMinutes(45));
    assertThat(prod.gates())
        .extracting(io.kapro.hub.gate.GateCheck::name)
        .containsExactly("ok", "bake", "hours", "slo", "healthy");
    assertThat(prod.gates().get(1))
        .isEqualTo(
            new io.kapro.hub.gate.GateCheck.SoakCheck(
                "bake", io.kapro.api.v1alpha2.GateWhen.BeforeEachWave, Duration.ofMinutes(20)));
    var tz = (io.kapro.hub.gate.GateCheck.TimeWindowCheck) prod.gates().get(2);
    assertThat(tz.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(tz.allow())
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.days()).containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
              assertThat(x.startMinute()).isEqualTo(22 * 60);
              assertThat(x.endMinute()).isEqualTo(6 * 60);
            });
    var webhook = (io.kapro.hub.gate.GateCheck.WebhookCheck) prod.gates().get(3);
    assertThat(webhook.url()).isEqualTo("https://slo.example/check");
    assertThat(webhook.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(webhook.headers()).containsEntry("X-Team", "shop");
  }

  private static Gate gate(String name, GateType type) {
    Gate g = new Gate();
    g.setName(name);
    g.setType(type);
    return g;
  }
}
