package io.kapro.hub.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.GateWhen;
import io.kapro.api.v1alpha2.OnFailure;
import io.kapro.api.v1alpha2.Unlock;
import io.kapro.hub.gate.Gate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlanValidatorTest {
  private static final LabelSelector ALL = LabelSelector.everything();

  static StageSpec s(String name) {
    return StageSpec.named(name, ALL);
  }

  static Stream<Arguments> invalidPlans() {
    return Stream.of(
        Arguments.of(
            "no stages", new PlanSpec(List.of(), false), "spec.stages", "at least one stage"),
        Arguments.of(
            "cycle",
            PlanSpec.of(
                s("a").withDependsOn("c"), s("b").withDependsOn("a"), s("c").withDependsOn("b")),
            "spec.stages[0].dependsOn",
            "cycle a → c → b → a"),
        Arguments.of(
            "two-cycle after a valid stage",
            PlanSpec.of(s("x"), s("a").withDependsOn("b"), s("b").withDependsOn("a")),
            "spec.stages[1].dependsOn",
            "cycle a → b → a"),
        Arguments.of(
            "unknown dependency",
            PlanSpec.of(s("a"), s("b").withDependsOn("prod")),
            "spec.stages[1].dependsOn[0]",
            "unknown stage \"prod\"; known stages: [a, b]"),
        Arguments.of(
            "self dependency",
            PlanSpec.of(s("a").withDependsOn("a")),
            "spec.stages[0].dependsOn[0]",
            "cannot depend on itself"),
        Arguments.of(
            "dependency twice",
            PlanSpec.of(s("a"), s("b").withDependsOn("a", "a")),
            "spec.stages[1].dependsOn[1]",
            "listed twice"),
        Arguments.of(
            "duplicate names",
            PlanSpec.of(s("a"), s("b"), s("a")),
            "spec.stages[2].name",
            "duplicate stage name \"a\" (also spec.stages[0].name)"),
        Arguments.of(
            "missing name",
            PlanSpec.of(StageSpec.named(null, ALL)),
            "spec.stages[0].name",
            "required"),
        Arguments.of(
            "name not a DNS label",
            PlanSpec.of(s("Prod EU")),
            "spec.stages[0].name",
            "not a DNS label"),
        Arguments.of(
            "null stage",
            new PlanSpec(Arrays.asList(s("a"), null), false),
            "spec.stages[1]",
            "must not be null"),
        Arguments.of(
            "wave zero",
            PlanSpec.of(s("a").withWaves("0")),
            "spec.stages[0].waves[0]",
            "not a wave"),
        Arguments.of(
            "wave negative",
            PlanSpec.of(s("a").withWaves("-1")),
            "spec.stages[0].waves[0]",
            "not a wave"),
        Arguments.of(
            "wave over 100%",
            PlanSpec.of(s("a").withWaves("150%")), "spec.stages[0].waves[0]", "not a wave"),
        Arguments.of(
            "wave 0%",
            PlanSpec.of(s("a").withWaves("0%")), "spec.stages[0].waves[0]", "not a wave"),
        Arguments.of(
            "wave text",
            PlanSpec.of(s("a").withWaves("1", "half", "100%")),
            "spec.stages[0].waves[1]",
            "\"half\" is not a wave"),
        Arguments.of(
            "waves decreasing",
            PlanSpec.of(s("a").withWaves("50%", "10%", "100%")),
            "spec.stages[0].waves[1]",
            "must be larger than \"50%\""),
        Arguments.of(
            "counts decreasing",
            PlanSpec.of(s("a").withWaves("5", "2", "100%")),
            "spec.stages[0].waves[1]",
            "must be larger than \"5\""),
        Arguments.of(
            "wave after 100%",
            PlanSpec.of(s("a").withWaves("100%", "5")),
            "spec.stages[0].waves[1]",
            "count after a percentage"),
        Arguments.of(
            "count after a percentage",
            PlanSpec.of(s("a").withWaves("10%", "5", "100%")),
            "spec.stages[0].waves[1]",
            "\"5\" is a count after a percentage"),
        Arguments.of(
            "last wave not 100%",
            PlanSpec.of(s("a").withWaves("1", "50%")),
            "spec.stages[0].waves[1]",
            "the last wave must be \"100%\""),
        Arguments.of(
            "null wave",
            PlanSpec.of(
                new StageSpec(
                    "a",
                    ALL,
                    null,
                    null,
                    null,
                    Arrays.asList("1", null, "100%"),
                    null,
                    null,
                    null,
                    null,
                    null)),
            "spec.stages[0].waves[1]",
            "\"null\" is not a wave"),
        Arguments.of(
            "maxParallel 0",
            PlanSpec.of(s("a").withMaxParallel(0)),
            "spec.stages[0].maxParallel",
            "at least 1"),
        Arguments.of(
            "maxUnavailable text",
            PlanSpec.of(s("a").withMaxUnavailable("some")),
            "spec.stages[0].maxUnavailable",
            "neither a count"),
        Arguments.of(
            "maxUnavailable 101%",
            PlanSpec.of(s("a").withMaxUnavailable("101%")),
            "spec.stages[0].maxUnavailable",
            "neither a count"),
        Arguments.of(
            "bad soak time",
            PlanSpec.of(s("a").withRequiredSoakTime("1 hour")),
            "spec.stages[0].requiredSoakTime",
            "not a duration"),
        Arguments.of(
            "bad timeout",
            PlanSpec.of(s("a").withTimeout("-5m")),
            "spec.stages[0].timeout",
            "not a duration"),
        Arguments.of(
            "zero timeout",
            PlanSpec.of(s("a").withTimeout("0s")),
            "spec.stages[0].timeout",
            "longer than 0s"),
        Arguments.of(
            "no selector",
            PlanSpec.of(StageSpec.named("a", null)),
            "spec.stages[0].selector",
            "required; use {}"),
        Arguments.of(
            "bad operator",
            PlanSpec.of(
                StageSpec.named(
                    "a", ALL.and(new SelectorRequirement("env", "Equals", List.of("x"))))),
            "spec.stages[0].selector.matchExpressions[0].operator",
            "\"Equals\" is not one of"),
        Arguments.of(
            "In without values",
            PlanSpec.of(
                StageSpec.named("a", ALL.and(new SelectorRequirement("env", "In", List.of())))),
            "spec.stages[0].selector.matchExpressions[0].values",
            "In needs at least one value"),
        Arguments.of(
            "Exists with values",
            PlanSpec.of(
                StageSpec.named(
                    "a", ALL.and(new SelectorRequirement("env", "Exists", List.of("x"))))),
            "spec.stages[0].selector.matchExpressions[0].values",
            "Exists takes no values"),
        Arguments.of(
            "expression without key",
            PlanSpec.of(StageSpec.named("a", ALL.and(SelectorRequirement.exists(" ")))),
            "spec.stages[0].selector.matchExpressions[0].key",
            "required"),
        Arguments.of(
            "gate without type",
            PlanSpec.of(s("a").withGates(new GateSpec("g", null, null, null, null, null))),
            "spec.stages[0].gates[0].type",
            "one of Approval, Soak"),
        Arguments.of(
            "gate without name",
            PlanSpec.of(s("a").withGates(GateSpec.approval(""))),
            "spec.stages[0].gates[0].name",
            "required"),
        Arguments.of(
            "duplicate gate names",
            PlanSpec.of(s("a").withGates(GateSpec.approval("g"), GateSpec.health("g"))),
            "spec.stages[0].gates[1].name",
            "duplicate gate name"),
        Arguments.of(
            "soak without duration",
            PlanSpec.of(s("a").withGates(new GateSpec("g", GateType.Soak, null, null, null, null))),
            "spec.stages[0].gates[0].soak.duration",
            "required"),
        Arguments.of(
            "soak bad duration",
            PlanSpec.of(s("a").withGates(GateSpec.soak("g", "ten minutes"))),
            "spec.stages[0].gates[0].soak.duration",
            "not a duration"),
        Arguments.of(
            "time window without windows",
            PlanSpec.of(
                s("a")
                    .withGates(
                        GateSpec.timeWindow(
                            "g", new GateSpec.TimeWindowSpec("UTC", List.of(), List.of())))),
            "spec.stages[0].gates[0].timeWindow",
            "at least one allow or deny"),
        Arguments.of(
            "unknown time zone",
            PlanSpec.of(
                s("a")
                    .withGates(
                        GateSpec.timeWindow(
                            "g",
                            new GateSpec.TimeWindowSpec(
                                "Mars/Olympus",
                                List.of(new GateSpec.WindowSpec(List.of(), "09:00", "17:00")),
                                List.of())))),
            "spec.stages[0].gates[0].timeWindow.timeZone",
            "not an IANA time zone"),
        Arguments.of(
            "bad day",
            PlanSpec.of(
                s("a")
                    .withGates(
                        GateSpec.timeWindow(
                            "g",
                            new GateSpec.TimeWindowSpec(
                                "UTC",
                                List.of(
                                    new GateSpec.WindowSpec(
                                        List.of("Mon", "Funday"), "09:00", "17:00")),
                                List.of())))),
            "spec.stages[0].gates[0].timeWindow.allow[0].days[1]",
            "\"Funday\" is not a day"),
        Arguments.of(
            "bad time of day",
            PlanSpec.of(
                s("a")
                    .withGates(
                        GateSpec.timeWindow(
                            "g",
                            new GateSpec.TimeWindowSpec(
                                "UTC",
                                List.of(),
                                List.of(new GateSpec.WindowSpec(List.of(), "9am", "25:00")))))),
            "spec.stages[0].gates[0].timeWindow.deny[0].start",
            "not a time of day"),
        Arguments.of(
            "empty window",
            PlanSpec.of(
                s("a")
                    .withGates(
                        GateSpec.timeWindow(
                            "g",
                            new GateSpec.TimeWindowSpec(
                                "UTC",
                                List.of(new GateSpec.WindowSpec(List.of(), "09:00", "09:00")),
                                List.of())))),
            "spec.stages[0].gates[0].timeWindow.allow[0]",
            "must differ"),
        Arguments.of(
            "webhook without block",
            PlanSpec.of(
                s("a").withGates(new GateSpec("g", GateType.Webhook, null, null, null, null))),
            "spec.stages[0].gates[0].webhook",
            "required for a Webhook gate"),
        Arguments.of(
            "webhook ftp",
            PlanSpec.of(s("a").withGates(hook("ftp://x.example/y", null, null))),
            "spec.stages[0].gates[0].webhook.url",
            "http:// or https://"),
        Arguments.of(
            "webhook credentials",
            PlanSpec.of(s("a").withGates(hook("https://user:pw@x.example/y", null, null))),
            "spec.stages[0].gates[0].webhook.url",
            "must not carry credentials"),
        Arguments.of(
            "webhook no host",
            PlanSpec.of(s("a").withGates(hook("https:///path", null, null))),
            "spec.stages[0].gates[0].webhook.url",
            "needs a host"),
        Arguments.of(
            "webhook not a url",
            PlanSpec.of(s("a").withGates(hook("https://x.example/a b", null, null))),
            "spec.stages[0].gates[0].webhook.url",
            "not a URL"),
        Arguments.of(
            "webhook timeout too long",
            PlanSpec.of(s("a").withGates(hook("https://x.example/", "10m", null))),
            "spec.stages[0].gates[0].webhook.timeout",
            "between 1ms and 1m"),
        Arguments.of(
            "header injection",
            PlanSpec.of(
                s("a")
                    .withGates(
                        hook("https://x.example/", null, Map.of("X-Token", "a\r\nHost: evil")))),
            "spec.stages[0].gates[0].webhook.headers.X-Token",
            "single-line value"),
        Arguments.of(
            "restricted header",
            PlanSpec.of(s("a").withGates(hook("https://x.example/", null, Map.of("Host", "evil")))),
            "spec.stages[0].gates[0].webhook.headers.Host",
            "set by Kapro"),
        Arguments.of(
            "bad header name",
            PlanSpec.of(s("a").withGates(hook("https://x.example/", null, Map.of("X Token", "v")))),
            "spec.stages[0].gates[0].webhook.headers",
            "not a header name"));
  }

  static GateSpec hook(String url, String timeout, Map<String, String> headers) {
    return GateSpec.webhook("g", new GateSpec.WebhookSpec(url, timeout, headers));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPlans")
  void invalidPlansAreInvalidSpecNamingTheField(
      String title, PlanSpec spec, String field, String message) {
    PlanValidation v = PlanValidator.validate(spec);
    assertThat(v).isInstanceOf(PlanValidation.Invalid.class);
    assertThat(((PlanValidation.Invalid) v).problems())
        .anySatisfy(
            p -> {
              assertThat(p.field()).isEqualTo(field);
              assertThat(p.message()).contains(message);
            });
  }

  @Test
  void reportsEveryProblemAtOnce() {
    PlanSpec spec =
        PlanSpec.of(
            s("a").withWaves("0", "100%"), s("a").withMaxParallel(0), s("c").withDependsOn("nope"));
    var problems = ((PlanValidation.Invalid) PlanValidator.validate(spec)).problems();
    assertThat(problems)
        .extracting(PlanProblem::field)
        .containsExactlyInAnyOrder(
            "spec.stages[0].waves[0]",
            "spec.stages[1].name",
            "spec.stages[1].maxParallel",
            "spec.stages[2].dependsOn[0]");
  }

  @Test
  void compilesWithDefaultsAndDependencyOrder() {
    PlanSpec spec =
        PlanSpec.of(
            s("prod").withDependsOn("staging", "canary").withUnlock(Unlock.Any),
            s("staging")
                .withDependsOn("dev")
                .withWaves("1", "10%", "50%", "100%")
                .withMaxParallel(5)
                .withMaxUnavailable("10%")
                .withRequiredSoakTime("1h30m")
                .withGates(
                    GateSpec.approval("ok"),
                    GateSpec.soak("bake", "15m").when(GateWhen.BeforeEachWave))
                .withOnFailure(OnFailure.Rollback)
                .withTimeout("45m"),
            s("canary").withDependsOn("dev"),
            s("dev"));
    CompiledPlan plan = ((PlanValidation.Valid) PlanValidator.validate(spec)).plan();
    assertThat(plan.topologicalOrder())
        .extracting(StagePlan::name)
        .containsExactly("dev", "staging", "canary", "prod");
    StagePlan dev = plan.stage("dev");
    assertThat(dev.unlock()).isEqualTo(Unlock.All);
    assertThat(dev.waves()).containsExactly(new WaveStep(100, true));
    assertThat(dev.maxParallel()).isEqualTo(Integer.MAX_VALUE);
    assertThat(dev.maxUnavailable().allowed(100)).isZero();
    assertThat(dev.onFailure()).isEqualTo(OnFailure.Halt);
    assertThat(dev.timeout()).isEqualTo(Duration.ofHours(1));
    StagePlan staging = plan.stage("staging");
    assertThat(staging.requiredSoakTime()).isEqualTo(Duration.ofMinutes(90));
    assertThat(staging.maxUnavailable().allowed(25)).isEqualTo(2);
    assertThat(staging.timeout()).isEqualTo(Duration.ofMinutes(45));
    assertThat(staging.gates())
        .containsExactly(
            new Gate.ApprovalGate("ok", GateWhen.BeforeStage),
            new Gate.SoakGate("bake", GateWhen.BeforeEachWave, Duration.ofMinutes(15)));
    assertThat(plan.stage("prod").unlock()).isEqualTo(Unlock.Any);
  }

  @Test
  void overlappingSelectorsAreReportedUnlessAllowed() {
    PlanSpec spec =
        PlanSpec.of(
            StageSpec.named("eu", LabelSelector.matchLabels(Map.of("region", "eu"))),
            StageSpec.named("prod", LabelSelector.matchLabels(Map.of("env", "prod"))));
    CompiledPlan plan = ((PlanValidation.Valid) PlanValidator.validate(spec)).plan();
    Map<String, Map<String, String>> clusters =
        Map.of("c1", Map.of("region", "eu", "env", "prod"), "c2", Map.of("env", "prod"));
    StageMembership m = StageMembership.of(plan, clusters);
    assertThat(m.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.stages[1].selector");
              assertThat(p.message())
                  .contains("also matched by stage \"eu\" (c1)")
                  .contains("allowOverlap");
            });
    CompiledPlan overlapping =
        ((PlanValidation.Valid) PlanValidator.validate(spec.withAllowOverlap(true))).plan();
    StageMembership allowed = StageMembership.of(overlapping, clusters);
    assertThat(allowed.problems()).isEmpty();
    assertThat(allowed.clusters("prod")).containsExactly("c1", "c2");
  }

  @Test
  void hostileDurationsAreRejectedNotOverflowed() {
    List<String> bad = new ArrayList<>(List.of("", "h", "1d", "1h 30m", "99999999999h", "ms"));
    bad.add("9".repeat(100) + "s");
    for (String text : bad) {
      assertThat(PlanValidator.validate(PlanSpec.of(s("a").withTimeout(text))))
          .as(text)
          .isInstanceOf(PlanValidation.Invalid.class);
    }
    assertThat(PlanValidator.validate(PlanSpec.of(s("a").withTimeout("999999999h"))))
        .isInstanceOf(PlanValidation.Invalid.class);
    assertThat(Durations.parse("1h30m15s500ms")).isEqualTo(Duration.parse("PT1H30M15.5S"));
    assertThat(Durations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
  }
}
