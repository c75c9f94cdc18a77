package io.kapro.hub.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.Decision;
import io.kapro.api.v1alpha2.GateResult;
import io.kapro.api.v1alpha2.GateWhen;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GateEvaluatorTest {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z"); // Monday 11:00 in Berlin
  static final GateCheck.ApprovalCheck APPROVAL =
      new GateCheck.ApprovalCheck("ok", GateWhen.BeforeStage);
  static final GateCheck.SoakCheck SOAK =
      new GateCheck.SoakCheck("bake", GateWhen.BeforeStage, Duration.ofMinutes(30));
  static final GateCheck.HealthCheck HEALTH =
      new GateCheck.HealthCheck("healthy", GateWhen.BeforeEachWave);
  static final GateCheck.WebhookCheck HOOK =
      new GateCheck.WebhookCheck(
          "checks", GateWhen.BeforeStage, "https://x.example/", Duration.ofSeconds(5), Map.of());
  static final ApprovalRecord APPROVE =
      new ApprovalRecord("a1", null, null, Decision.Approve, "alice", "ship it");
  static final ApprovalRecord REJECT =
      new ApprovalRecord("a2", "prod", null, Decision.Reject, "bob", "freeze");

  static GateContext ctx(
      ApprovalRecord approval, Instant soakSince, HealthSnapshot health, WebhookObservation hook) {
    return new GateContext(NOW, approval, soakSince, health, name -> hook);
  }

  static GateCheck.TimeWindowCheck window(String zone, List<Window> allow, List<Window> deny) {
    return new GateCheck.TimeWindowCheck(
        "hours", GateWhen.BeforeStage, ZoneId.of(zone), allow, deny);
  }

  static Window weekdays(int startMinute, int endMinute) {
    return new Window(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), startMinute, endMinute);
  }

  static Stream<Arguments> cases() {
    WebhookObservation yes =
        new WebhookObservation("prod", 1, "checks", true, "webhook passed", NOW);
    WebhookObservation no =
        new WebhookObservation("prod", 1, "checks", false, "webhook said no: error budget", NOW);
    return Stream.of(
        Arguments.of(
            "approval pending",
            APPROVAL,
            ctx(null, null, null, null),
            GateResult.Pending,
            "waiting for an Approval"),
        Arguments.of(
            "approval passed",
            APPROVAL,
            ctx(APPROVE, null, null, null),
            GateResult.Passed,
            "approved by alice (Approval a1): ship it"),
        Arguments.of(
            "approval rejected",
            APPROVAL,
            ctx(REJECT, null, null, null),
            GateResult.Failed,
            "rejected by bob (Approval a2): freeze"),
        Arguments.of(
            "soak pending",
            SOAK,
            ctx(null, NOW.minus(Duration.ofMinutes(10)), null, null),
            GateResult.Pending,
            "until 2026-11-23T10:20:00Z"),
        Arguments.of(
            "soak passed",
            SOAK,
            ctx(null, NOW.minus(Duration.ofMinutes(30)), null, null),
            GateResult.Passed,
            "soaked"),
        Arguments.of(
            "soak failed: a Target regressed after the soak began",
            SOAK,
            ctx(
                null,
                NOW.minus(Duration.ofMinutes(10)),
                new HealthSnapshot(
                    0,
                    0,
                    1,
                    List.of(
                        new HealthSnapshot.Unhealthy(
                            "canary-1",
                            NOW.minus(Duration.ofMinutes(2)),
                            "web Degraded (Ready=False (TestFailed))"))),
                null),
            GateResult.Failed,
            "1 Target(s) regressed during the soak since 2026-11-23T09:50:00Z: cluster canary-1:"
                + " web Degraded (Ready=False (TestFailed))"),
        Arguments.of(
            "soak pending: a Target unhealthy before the soak began does not fail it",
            SOAK,
            ctx(
                null,
                NOW.minus(Duration.ofMinutes(10)),
                new HealthSnapshot(
                    2,
                    0,
                    1,
                    List.of(
                        new HealthSnapshot.Unhealthy(
                            "canary-2", NOW.minus(Duration.ofMinutes(20)), "failed earlier"))),
                null),
            GateResult.Pending,
            "soaking"),
        Arguments.of(
            "health failed names the cluster",
            HEALTH,
            ctx(
                null,
                null,
                new HealthSnapshot(
                    1, 0, 1, List.of(new HealthSnapshot.Unhealthy("eu-1", NOW, "api Failed"))),
                null),
            GateResult.Failed,
            "1 earlier Target(s) Degraded or Failed: cluster eu-1: api Failed"),
        Arguments.of(
            "health passed",
            HEALTH,
            ctx(null, null, new HealthSnapshot(5, 0, 0), null),
            GateResult.Passed,
            "5 earlier Target(s) Converged"),
        Arguments.of(
            "health pending",
            HEALTH,
            ctx(null, null, new HealthSnapshot(4, 1, 0), null),
            GateResult.Pending,
            "1 earlier Target(s) not Converged"),
        Arguments.of(
            "health failed",
            HEALTH,
            ctx(null, null, new HealthSnapshot(3, 1, 1), null),
            GateResult.Failed,
            "1 earlier Target(s) Degraded or Failed"),
        Arguments.of(
            "webhook pending",
            HOOK,
            ctx(null, null, null, null),
            GateResult.Pending,
            "waiting for the webhook"),
        Arguments.of(
            "webhook passed",
            HOOK,
            ctx(null, null, null, yes),
            GateResult.Passed,
            "webhook passed"),
        Arguments.of(
            "webhook failed", HOOK, ctx(null, null, null, no), GateResult.Failed, "error budget"),
        Arguments.of(
            "window: inside allow (Berlin 11:00)",
            window("Europe/Berlin", List.of(weekdays(9 * 60, 17 * 60)), List.of()),
            ctx(null, null, null, null),
            GateResult.Passed,
            "inside allow window"),
        Arguments.of(
            "window: outside allow (New York 05:00)",
            window("America/New_York", List.of(weekdays(9 * 60, 17 * 60)), List.of()),
            ctx(null, null, null, null),
            GateResult.Pending,
            "outside the allow windows"),
        Arguments.of(
            "window: deny wins over allow",
            window(
                "UTC",
                List.of(weekdays(0, 1440)),
                List.of(new Window(EnumSet.of(DayOfWeek.MONDAY), 9 * 60, 11 * 60))),
            ctx(null, null, null, null),
            GateResult.Pending,
            "inside deny window"),
        Arguments.of(
            "window: only deny, outside it",
            window("UTC", List.of(), List.of(new Window(EnumSet.of(DayOfWeek.FRIDAY), 0, 1440))),
            ctx(null, null, null, null),
            GateResult.Passed,
            "outside every deny"),
        Arguments.of(
            "window: weekend only on a Monday",
            window(
                "UTC",
                List.of(new Window(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), 0, 1440)),
                List.of()),
            ctx(null, null, null, null),
            GateResult.Pending,
            "outside"),
        Arguments.of(
            "window: overnight from Sunday 22:00 reaches Monday 10:00? no (ends 06:00)",
            window(
                "UTC",
                List.of(new Window(EnumSet.of(DayOfWeek.SUNDAY), 22 * 60, 6 * 60)),
                List.of()),
            ctx(null, null, null, null),
            GateResult.Pending,
            "outside"),
        Arguments.of(
            "window: overnight from Sunday 22:00 to 11:00 covers Monday 10:00",
            window(
                "UTC",
                List.of(new Window(EnumSet.of(DayOfWeek.SUNDAY), 22 * 60, 11 * 60)),
                List.of()),
            ctx(null, null, null, null),
            GateResult.Passed,
            "inside allow window"),
        Arguments.of(
            "window: Tokyo is already 19:00 on Monday",
            window("Asia/Tokyo", List.of(weekdays(9 * 60, 18 * 60)), List.of()),
            ctx(null, null, null, null),
            GateResult.Pending,
            "Asia/Tokyo"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void evaluates(
      String title, GateCheck gate, GateContext ctx, GateResult verdict, String message) {
    GateOutcome result = GateEvaluator.evaluate(gate, ctx);
    assertThat(result.verdict()).isEqualTo(verdict);
    assertThat(result.message()).contains(message);
    assertThat(result.name()).isEqualTo(gate.name());
    assertThat(result.type()).isEqualTo(gate.type());
  }

  @ParameterizedTest(name = "approval scope {0}")
  @MethodSource("scopes")
  void approvalScopes(String title, ApprovalRecord a, boolean applies) {
    assertThat(a.appliesTo("prod", "c1")).isEqualTo(applies);
  }

  static Stream<Arguments> scopes() {
    return Stream.of(
        Arguments.of("run", new ApprovalRecord("a", null, null, Decision.Approve, "x", null), true),
        Arguments.of(
            "same stage", new ApprovalRecord("a", "prod", null, Decision.Approve, "x", null), true),
        Arguments.of(
            "other stage",
            new ApprovalRecord("a", "dev", null, Decision.Approve, "x", null),
            false),
        Arguments.of(
            "same target",
            new ApprovalRecord("a", "prod", "c1", Decision.Approve, "x", null),
            true),
        Arguments.of(
            "other target",
            new ApprovalRecord("a", "prod", "c2", Decision.Approve, "x", null),
            false));
  }
}
