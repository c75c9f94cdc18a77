package io.kapro.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.Gate;
import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.LabelSelector;
import io.kapro.api.v1alpha2.PlanSpec;
import io.kapro.api.v1alpha2.Stage;
import io.kapro.api.v1alpha2.TimeWindow;
import io.kapro.api.v1alpha2.TimeWindowGate;
import io.kapro.api.v1alpha2.WebhookGate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cases on which the two Plan validators that used to exist (this one, used by the CLI, and the
 * hub engine's own) disagreed. Each now follows the stricter rule, and the hub compiles plans
 * through this validator, so the CLI and the hub answer the same.
 */
class PlanRulesOriginTest {

  static Stream<Arguments> disagreements() {
    return Stream.of(
        // the hub refused these; this validator accepted them
        Arguments.of(
            "webhook URL with credentials",
            webhook(w -> w.setUrl("https://user:pw@checks.example/gate")),
            "spec.stages[0].gates[0].webhook.url",
            "must not carry credentials"),
        Arguments.of(
            "webhook URL with a fragment",
            webhook(w -> w.setUrl("https://checks.example/gate#x")),
            "spec.stages[0].gates[0].webhook.url",
            "must not have a #fragment"),
        Arguments.of(
            "webhook timeout over 1m",
            webhook(w -> w.setTimeout("10m")),
            "spec.stages[0].gates[0].webhook.timeout",
            "must be at most 1m"),
        Arguments.of(
            "webhook header Kapro sets itself",
            webhook(w -> w.setHeaders(Map.of("Host", "evil.example"))),
            "spec.stages[0].gates[0].webhook.headers.Host",
            "cannot be overridden"),
        Arguments.of(
            "webhook header value with a line break",
            webhook(w -> w.setHeaders(Map.of("X-Token", "a\r\nHost: evil"))),
            "spec.stages[0].gates[0].webhook.headers.X-Token",
            "single-line value"),
        Arguments.of(
            "matchLabels entry without a value",
            plan(
                s -> {
                  Map<String, String> labels = new HashMap<>();
                  labels.put("env", null);
                  s.getSelector().setMatchLabels(labels);
                }),
            "spec.stages[0].selector.matchLabels.env",
            "needs a value"),
        Arguments.of(
            "duration that overflows (accepted here, wrapped around)",
            plan(s -> s.setTimeout("999999999999h")),
            "spec.stages[0].timeout",
            "is not a duration"),
        Arguments.of(
            "duration over 10 years",
            plan(s -> s.setTimeout("100000h")),
            "spec.stages[0].timeout",
            "longer than 10 years"),
        Arguments.of(
            "wave count too long to be a number (threw NumberFormatException here)",
            plan(s -> s.setWaves(List.of("99999999999", "100%"))),
            "spec.stages[0].waves[0]",
            "is not a wave"),
        // this validator refused these; the hub accepted them
        Arguments.of(
            "zero soak time",
            plan(s -> s.setRequiredSoakTime("0s")),
            "spec.stages[0].requiredSoakTime",
            "must be longer than zero"),
        Arguments.of(
            "empty waves list (the hub read it as one wave)",
            plan(s -> s.setWaves(List.of())),
            "spec.stages[0].waves",
            "is empty"),
        Arguments.of(
            "gate name that is no DNS label",
            plan(s -> s.setGates(List.of(gate("Gate One", GateType.Approval)))),
            "spec.stages[0].gates[0].name",
            "is not a DNS label"),
        Arguments.of(
            "window ending at 24:00 (the CRD schema's pattern refuses it too)",
            plan(
                s -> {
                  Gate g = gate("hours", GateType.TimeWindow);
                  TimeWindow w = new TimeWindow();
                  w.setStart("22:00");
                  w.setEnd("24:00");
                  TimeWindowGate t = new TimeWindowGate();
                  t.setAllow(List.of(w));
                  g.setTimeWindow(t);
                  s.setGates(List.of(g));
                }),
            "spec.stages[0].gates[0].timeWindow.allow[0].end",
            "is not a time"),
        Arguments.of(
            "more stages than the CRD schema allows (the hub allowed 100)",
            many(33),
            "spec.stages",
            "at most 32"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("disagreements")
  void theStricterRuleHolds(String title, PlanSpec spec, String path, String message) {
    assertThat(SpecValidator.validatePlan(spec))
        .anySatisfy(
            v -> {
              assertThat(v.path()).isEqualTo(path);
              assertThat(v.message()).contains(message);
            });
  }

  private static PlanSpec plan(Consumer<Stage> change) {
    Stage s = SpecValidatorTest.stage("prod");
    change.accept(s);
    PlanSpec p = SpecValidatorTest.plan(s);
    assertThat(SpecValidator.validatePlan(SpecValidatorTest.plan(SpecValidatorTest.stage("prod"))))
        .isEmpty();
    return p;
  }

  private static PlanSpec webhook(Consumer<WebhookGate> change) {
    return plan(
        s -> {
          Gate g = gate("checks", GateType.Webhook);
          WebhookGate w = new WebhookGate();
          w.setUrl("https://checks.example/gate");
          change.accept(w);
          g.setWebhook(w);
          s.setGates(List.of(g));
        });
  }

  private static Gate gate(String name, GateType type) {
    Gate g = new Gate();
    g.setName(name);
    g.setType(type);
    return g;
  }

  private static PlanSpec many(int n) {
    List<Stage> stages = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      stages.add(SpecValidatorTest.stage("s" + i));
    }
    PlanSpec p = new PlanSpec();
    p.setStages(stages);
    LabelSelector unused = stages.get(0).getSelector();
    assertThat(unused).isNotNull();
    return p;
  }
}
