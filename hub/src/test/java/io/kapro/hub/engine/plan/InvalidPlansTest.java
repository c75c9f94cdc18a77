package io.kapro.hub.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.Durations;
import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.GateWhen;
import io.kapro.api.v1alpha2.OnFailure;
import io.kapro.api.v1alpha2.Unlock;
import io.kapro.api.validation.Violation;
import io.kapro.hub.gate.GateCheck;
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

class InvalidPlansTest {
  private static final SelectorBuilder ALL = SelectorBuilder.everything();

  static StageBuilder s(String name) {
    return StageBuilder.named(name, ALL);
  }

  static Stream<Arguments> invalidPlans() {
    return Stream.of(
        Arguments.of(
            "no stages",
            new PlanBuilder(List.of(), false),
            "spec.stages",
            "must list at least one stage (name, selector)"),
        Arguments.of(
            "cycle",
            PlanBuilder.of(
                s("a").withDependsOn("c"), s("b").withDependsOn("a"), s("c").withDependsOn("b")),
            "spec.stages[0].dependsOn",
            "dependency cycle a -> c -> b -> a; remove one of these depen"),
        Arguments.of(
            "two-cycle after a valid stage",
            PlanBuilder.of(s("x"), s("a").withDependsOn("b"), s("b").withDependsOn("a")),
            "spec.stages[1].dependsOn",
            "dependency cycle a -> b -> a; remove one of these dependsOn "),
        Arguments.of(
            "unknown dependency",
            PlanBuilder.of(s("a"), s("b").withDependsOn("prod")),
            "spec.stages[1].dependsOn[0]",
            "unknown stage \"prod\"; name one of [a, b]"),
        Arguments.of(
            "self dependency",
            PlanBuilder.of(s("a").withDependsOn("a")),
            "spec.stages[0].dependsOn[0]",
            "stage \"a\" depends on itself; remove it from dependsOn"),
        Arguments.of(
            "dependency twice",
            PlanBuilder.of(s("a"), s("b").withDependsOn("a", "a")),
            "spec.stages[1].dependsOn[1]",
            "lists \"a\" twice; remove the duplicate"),
        Arguments.of(
            "duplicate names",
            PlanBuilder.of(s("a"), s("b"), s("a")),
            "spec.stages[2].name",
            "duplicate stage name \"a\" (also spec.stages[0]); stage names "),
        Arguments.of(
            "missing name",
            PlanBuilder.of(StageBuilder.named(null, ALL)),
            "spec.stages[0].name",
            "is required: set a DNS label"),
        Arguments.of(
            "name not a DNS label",
            PlanBuilder.of(s("Prod EU")),
            "spec.stages[0].name",
            "\"Prod EU\" is not a DNS label: use at most 63 lower-case lett"),
        Arguments.of(
            "null stage",
            new PlanBuilder(Arrays.asList(s("a"), null), false),
            "spec.stages[1]",
            "is required: set name and selector"),
        Arguments.of(
            "wave zero",
            PlanBuilder.of(s("a").withWaves("0")),
            "spec.stages[0].waves[0]",
            "\"0\" is not a wave: write a cluster count (\"1\") or a percenta"),
        Arguments.of(
            "wave negative",
            PlanBuilder.of(s("a").withWaves("-1")),
            "spec.stages[0].waves[0]",
            "\"-1\" is not a wave: write a cluster count (\"1\") or a percent"),
        Arguments.of(
            "wave over 100%",
            PlanBuilder.of(s("a").withWaves("150%")),
            "spec.stages[0].waves[0]",
            "\"150%\" is not a wave: write a cluster count (\"1\") or a perce"),
        Arguments.of(
            "wave 0%",
            PlanBuilder.of(s("a").withWaves("0%")),
            "spec.stages[0].waves[0]",
            "\"0%\" is not a wave: write a cluster count (\"1\") or a percent"),
        Arguments.of(
            "wave text",
            PlanBuilder.of(s("a").withWaves("1", "half", "100%")),
            "spec.stages[0].waves[1]",
            "\"half\" is not a wave: write a cluster count (\"1\") or a perce"),
        Arguments.of(
            "waves decreasing",
            PlanBuilder.of(s("a").withWaves("50%", "10%", "100%")),
            "spec.stages[0].waves[1]",
            "\"10%\" must be larger than the wave before it (50%); percenta"),
        Arguments.of(
            "counts decreasing",
            PlanBuilder.of(s("a").withWaves("5", "2", "100%")),
            "spec.stages[0].waves[1]",
            "\"2\" must be larger than the wave before it (5); counts are c"),
        Arguments.of(
            "wave after 100%",
            PlanBuilder.of(s("a").withWaves("100%", "5")),
            "spec.stages[0].waves[1]",
            "\"5\" is a count after a percentage; list counts first, then p"),
        Arguments.of(
            "count after a percentage",
            PlanBuilder.of(s("a").withWaves("10%", "5", "100%")),
            "spec.stages[0].waves[1]",
            "\"5\" is a count after a percentage; list counts first, then p"),
        Arguments.of(
            "last wave not 100%",
            PlanBuilder.of(s("a").withWaves("1", "50%")),
            "spec.stages[0].waves[1]",
            "the last wave must be \"100%\" so that every cluster of the st"),
        Arguments.of(
            "null wave",
            PlanBuilder.of(
                new StageBuilder(
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
            "\"null\" is not a wave: write a cluster count (\"1\") or a perce"),
        Arguments.of(
            "maxParallel 0",
            PlanBuilder.of(s("a").withMaxParallel(0)),
            "spec.stages[0].maxParallel",
            "must be at least 1 (leave it unset for no limit)"),
        Arguments.of(
            "maxUnavailable text",
            PlanBuilder.of(s("a").withMaxUnavailable("some")),
            "spec.stages[0].maxUnavailable",
            "\"some\" is neither a count nor a percentage: write e.g. 1 or "),
        Arguments.of(
            "maxUnavailable 101%",
            PlanBuilder.of(s("a").withMaxUnavailable("101%")),
            "spec.stages[0].maxUnavailable",
            "\"101%\" is neither a count nor a percentage: write e.g. 1 or "),
        Arguments.of(
            "bad soak time",
            PlanBuilder.of(s("a").withRequiredSoakTime("1 hour")),
            "spec.stages[0].requiredSoakTime",
            "\"1 hour\" is not a duration: write a number and a unit (ns, u"),
        Arguments.of(
            "bad timeout",
            PlanBuilder.of(s("a").withTimeout("-5m")),
            "spec.stages[0].timeout",
            "\"-5m\" must not be negative"),
        Arguments.of(
            "zero timeout",
            PlanBuilder.of(s("a").withTimeout("0s")),
            "spec.stages[0].timeout",
            "must be longer than zero, e.g. 5m"),
        Arguments.of(
            "no selector",
            PlanBuilder.of(StageBuilder.named("a", null)),
            "spec.stages[0].selector",
            "is required: set a label selector, e.g. matchLabels: {kapro."),
        Arguments.of(
            "In without values",
            PlanBuilder.of(
                StageBuilder.named("a", ALL.and(new RequirementBuilder("env", "In", List.of())))),
            "spec.stages[0].selector.matchExpressions[0].values",
            "must list at least one value for operator In"),
        Arguments.of(
            "Exists with values",
            PlanBuilder.of(
                StageBuilder.named(
                    "a", ALL.and(new RequirementBuilder("env", "Exists", List.of("x"))))),
            "spec.stages[0].selector.matchExpressions[0].values",
            "must be empty for operator Exists; remove it"),
        Arguments.of(
            "expression without key",
            PlanBuilder.of(StageBuilder.named("a", ALL.and(RequirementBuilder.exists(" ")))),
            "spec.stages[0].selector.matchExpressions[0].key",
            "is required: set the label key to test"),
        Arguments.of(
            "gate without type",
            PlanBuilder.of(s("a").withGates(new GateBuilder("g", null, null, null, null, null))),
            "spec.stages[0].gates[0].type",
            "is required: set one of Approval, Soak, Health, TimeWindow, "),
        Arguments.of(
            "gate without name",
            PlanBuilder.of(s("a").withGates(GateBuilder.approval(""))),
            "spec.stages[0].gates[0].name",
            "is required: set a DNS label"),
        Arguments.of(
            "duplicate gate names",
            PlanBuilder.of(s("a").withGates(GateBuilder.approval("g"), GateBuilder.health("g"))),
            "spec.stages[0].gates[1].name",
            "duplicate gate name \"g\" (also spec.stages[0].gates[0]); gate"),
        Arguments.of(
            "soak without duration",
            PlanBuilder.of(
                s("a").withGates(new GateBuilder("g", GateType.Soak, null, null, null, null))),
            "spec.stages[0].gates[0].soak",
            "is required: set soak.duration, e.g. 10m"),
        Arguments.of(
            "soak bad duration",
            PlanBuilder.of(s("a").withGates(GateBuilder.soak("g", "ten minutes"))),
            "spec.stages[0].gates[0].soak.duration",
            "\"ten minutes\" is not a duration: write a number and a unit ("),
        Arguments.of(
            "time window without windows",
            PlanBuilder.of(
                s("a")
                    .withGates(
                        GateBuilder.timeWindow(
                            "g", new GateBuilder.TimeWindowSpec("UTC", List.of(), List.of())))),
            "spec.stages[0].gates[0].timeWindow",
            "lists no windows: add timeWindow.allow or timeWindow.deny en"),
        Arguments.of(
            "unknown time zone",
            PlanBuilder.of(
                s("a")
                    .withGates(
                        GateBuilder.timeWindow(
                            "g",
                            new GateBuilder.TimeWindowSpec(
                                "Mars/Olympus",
                                List.of(new GateBuilder.WindowSpec(List.of(), "09:00", "17:00")),
                                List.of())))),
            "spec.stages[0].gates[0].timeWindow.timeZone",
            "\"Mars/Olympus\" is not a time zone: use an IANA name such as "),
        Arguments.of(
            "bad time of day",
            PlanBuilder.of(
                s("a")
                    .withGates(
                        GateBuilder.timeWindow(
                            "g",
                            new GateBuilder.TimeWindowSpec(
                                "UTC",
                                List.of(),
                                List.of(new GateBuilder.WindowSpec(List.of(), "9am", "25:00")))))),
            "spec.stages[0].gates[0].timeWindow.deny[0].start",
            "\"9am\" is not a time: write HH:MM on a 24-hour clock, e.g. 09"),
        Arguments.of(
            "empty window",
            PlanBuilder.of(
                s("a")
                    .withGates(
                        GateBuilder.timeWindow(
                            "g",
                            new GateBuilder.TimeWindowSpec(
                                "UTC",
                                List.of(new GateBuilder.WindowSpec(List.of(), "09:00", "09:00")),
                                List.of())))),
            "spec.stages[0].gates[0].timeWindow.allow[0].end",
            "equals start; a window needs a length (end before start cros"),
        Arguments.of(
            "webhook without block",
            PlanBuilder.of(
                s("a").withGates(new GateBuilder("g", GateType.Webhook, null, null, null, null))),
            "spec.stages[0].gates[0].webhook",
            "is required: set webhook.url"),
        Arguments.of(
            "webhook ftp",
            PlanBuilder.of(s("a").withGates(hook("ftp://x.example/y", null, null))),
            "spec.stages[0].gates[0].webhook.url",
            "\"ftp://x.example/y\" is not an http(s) URL with a host: write"),
        Arguments.of(
            "webhook credentials",
            PlanBuilder.of(s("a").withGates(hook("https://user:pw@x.example/y", null, null))),
            "spec.stages[0].gates[0].webhook.url",
            "must not carry credentials; send them in webhook.headers ins"),
        Arguments.of(
            "webhook no host",
            PlanBuilder.of(s("a").withGates(hook("https:///path", null, null))),
            "spec.stages[0].gates[0].webhook.url",
            "\"https:///path\" is not an http(s) URL with a host: write e.g"),
        Arguments.of(
            "webhook not a url",
            PlanBuilder.of(s("a").withGates(hook("https://x.example/a b", null, null))),
            "spec.stages[0].gates[0].webhook.url",
            "\"https://x.example/a b\" is not a URL (Illegal character in p"),
        Arguments.of(
            "webhook timeout too long",
            PlanBuilder.of(s("a").withGates(hook("https://x.example/", "10m", null))),
            "spec.stages[0].gates[0].webhook.timeout",
            "must be at most 1m; a gate must not hold a reconcile longer"),
        Arguments.of(
            "header injection",
            PlanBuilder.of(
                s("a")
                    .withGates(
                        hook("https://x.example/", null, Map.of("X-Token", "a\r\nHost: evil")))),
            "spec.stages[0].gates[0].webhook.headers.X-Token",
            "needs a single-line value of at most 4096 characters"),
        Arguments.of(
            "restricted header",
            PlanBuilder.of(
                s("a").withGates(hook("https://x.example/", null, Map.of("Host", "evil")))),
            "spec.stages[0].gates[0].webhook.headers.Host",
            "is set by Kapro and cannot be overridden; remove it"),
        Arguments.of(
            "bad header name",
            PlanBuilder.of(
                s("a").withGates(hook("https://x.example/", null, Map.of("X Token", "v")))),
            "spec.stages[0].gates[0].webhook.headers",
            "\"X Token\" is not an HTTP header name"));
  }

  static GateBuilder hook(String url, String timeout, Map<String, String> headers) {
    return GateBuilder.webhook("g", new GateBuilder.WebhookSpec(url, timeout, headers));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPlans")
  void invalidPlansAreInvalidSpecNamingTheField(
      String title, PlanBuilder spec, String field, String message) {
    PlanValidation v = PlanCompiler.compile(spec.toApi());
    System.out.println(
        "DUMP|" + title + "|" + (v instanceof PlanValidation.Invalid i ? i.violations() : "VALID"));
    assertThat(v).isInstanceOf(PlanValidation.Invalid.class);
    assertThat(((PlanValidation.Invalid) v).violations())
        .anySatisfy(
            p -> {
              assertThat(p.path()).isEqualTo(field);
              assertThat(p.message()).contains(message);
            });
  }

  @Test
  void reportsEveryProblemAtOnce() {
    PlanBuilder spec =
        PlanBuilder.of(
            s("a").withWaves("0", "100%"), s("a").withMaxParallel(0), s("c").withDependsOn("nope"));
    var problems = ((PlanValidation.Invalid) PlanCompiler.compile(spec.toApi())).violations();
    assertThat(problems)
        .extracting(Violation::path)
        .containsExactlyInAnyOrder(
            "spec.stages[0].waves[0]",
            "spec.stages[1].name",
            "spec.stages[1].maxParallel",
            "spec.stages[2].dependsOn[0]");
  }

  @Test
  void compilesWithDefaultsAndDependencyOrder() {
    PlanBuilder spec =
        PlanBuilder.of(
            s("prod").withDependsOn("staging", "canary").withUnlock(Unlock.Any),
            s("staging")
                .withDependsOn("dev")
                .withWaves("1", "10%", "50%", "100%")
                .withMaxParallel(5)
                .withMaxUnavailable("10%")
                .withRequiredSoakTime("1h30m")
                .withGates(
                    GateBuilder.approval("ok"),
                    GateBuilder.soak("bake", "15m").when(GateWhen.BeforeEachWave))
                .withOnFailure(OnFailure.Rollback)
                .withTimeout("45m"),
            s("canary").withDependsOn("dev"),
            s("dev"));
    CompiledPlan plan = ((PlanValidation.Valid) PlanCompiler.compile(spec.toApi())).plan();
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
            new GateCheck.ApprovalCheck("ok", GateWhen.BeforeStage),
            new GateCheck.SoakCheck("bake", GateWhen.BeforeEachWave, Duration.ofMinutes(15)));
    assertThat(plan.stage("prod").unlock()).isEqualTo(Unlock.Any);
  }

  @Test
  void overlappingSelectorsAreReportedUnlessAllowed() {
    PlanBuilder spec =
        PlanBuilder.of(
            StageBuilder.named("eu", SelectorBuilder.matchLabels(Map.of("region", "eu"))),
            StageBuilder.named("prod", SelectorBuilder.matchLabels(Map.of("env", "prod"))));
    CompiledPlan plan = ((PlanValidation.Valid) PlanCompiler.compile(spec.toApi())).plan();
    Map<String, Map<String, String>> clusters =
        Map.of("c1", Map.of("region", "eu", "env", "prod"), "c2", Map.of("env", "prod"));
    StageMembership m = StageMembership.of(plan, clusters);
    assertThat(m.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("spec.stages[1].selector");
              assertThat(p.message())
                  .contains("also matched by stage \"eu\" (c1)")
                  .contains("allowOverlap");
            });
    CompiledPlan overlapping =
        ((PlanValidation.Valid) PlanCompiler.compile(spec.withAllowOverlap(true).toApi())).plan();
    StageMembership allowed = StageMembership.of(overlapping, clusters);
    assertThat(allowed.problems()).isEmpty();
    assertThat(allowed.clusters("prod")).containsExactly("c1", "c2");
  }

  @Test
  void hostileDurationsAreRejectedNotOverflowed() {
    List<String> bad = new ArrayList<>(List.of("", "h", "1d", "1h 30m", "99999999999h", "ms"));
    bad.add("9".repeat(100) + "s");
    for (String text : bad) {
      assertThat(PlanCompiler.compile(PlanBuilder.of(s("a").withTimeout(text)).toApi()))
          .as(text)
          .isInstanceOf(PlanValidation.Invalid.class);
    }
    assertThat(PlanCompiler.compile(PlanBuilder.of(s("a").withTimeout("999999999h")).toApi()))
        .isInstanceOf(PlanValidation.Invalid.class);
    assertThat(Durations.parse("1h30m15s500ms")).isEqualTo(Duration.parse("PT1H30M15.5S"));
    assertThat(Durations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
  }
}
