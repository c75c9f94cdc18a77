package io.kapro.cli.promote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.cli.Cli;
import io.kapro.cli.ExitCodes;
import io.kapro.cli.Fleets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PromoteCommandTest {
  LocalKubeApi api;
  Cli cli;

  @BeforeEach
  void start() {
    api = LocalKubeApi.start();
    cli = new Cli(api);
    Fleets.fleet(api.client(), "web");
    Fleets.plan(api.client(), "default");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private List<Promotion> promotions() {
    return api.client().resources(Promotion.class).inNamespace("default").list().getItems();
  }

  @Test
  void createsAValidatedPromotion() {
    Cli.Result r =
        cli.run("promote", "web", "--unit", "web", "--version", "1.5.0", "--name", "web-150");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .isEqualTo("promotion.kapro.io/web-150 created: fleet web, plan default, web=1.5.0\n");
    Promotion p = promotions().get(0);
    assertThat(p.getSpec().getFleet()).isEqualTo("web");
    assertThat(p.getSpec().getPlan()).isEqualTo("default");
    assertThat(p.getSpec().getUnits())
        .singleElement()
        .satisfies(u -> assertThat(u.getName() + "=" + u.getVersion()).isEqualTo("web=1.5.0"));
    assertThat(p.getMetadata().getLabels()).containsEntry("kapro.io/fleet", "web");
  }

  @Test
  void jsonOutputAndGeneratedName() throws Exception {
    Cli.Result r = cli.run("promote", "web", "-u", "web", "--version", "2.0.0-RC.1", "-o", "json");
    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode p = new ObjectMapper().readTree(r.out());
    assertThat(p.get("kind").asText()).isEqualTo("Promotion");
    assertThat(p.get("metadata").get("name").asText()).matches("web-web-2-0-0-rc-1-[a-z0-9]{4}");
    assertThat(p.get("spec").get("units").get(0).get("version").asText()).isEqualTo("2.0.0-RC.1");
  }

  @Test
  void dryRunWithOutputPrintsThePromotionAndCreatesNothing() {
    Cli.Result r =
        cli.run("promote", "web", "--unit", "web", "--version", "1.5.0", "--dry-run", "-o", "yaml");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("kind: \"Promotion\"", "fleet: \"web\"");
    assertThat(promotions()).isEmpty();
  }

  @Test
  void dryRunPrintsThePlanTheEngineWouldFollowAndCreatesNothing() {
    Fleets.cluster(api.client(), "web", "dev-1", "dev", "1.4.0", true);
    Fleets.cluster(api.client(), "web", "prod-1", "prod", "1.4.0", true);
    Fleets.cluster(api.client(), "web", "prod-2", "prod", null, false);
    Fleets.cluster(api.client(), "web", "prod-3", "prod", "1.4.0", true);
    Cli.Result r = cli.run("promote", "web", "--unit", "web", "--version", "1.5.0", "--dry-run");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.lines())
        .containsExactly(
            "dry run, nothing created: promote web=1.5.0 through fleet web (4 clusters), plan"
                + " default",
            "stage dev: unreachable Wait, maxWait 1h0m0s, maxUnavailable 0",
            "  wave 1: 1 cluster(s), gates: none",
            "    dev-1  web 1.4.0 -> 1.5.0  publish",
            "stage prod (after dev): unreachable Wait, maxWait 1h0m0s, maxUnavailable 0",
            "  wave 1: 1 cluster(s), gates: Approval change-board",
            "    prod-1  web 1.4.0 -> 1.5.0  publish",
            "  wave 2: 2 cluster(s), gates: none",
            "    prod-2  web none -> 1.5.0  publish, wait for it up to maxWait (cluster prod-2 has"
                + " Connected=Unknown)",
            "    prod-3  web 1.4.0 -> 1.5.0  publish",
            "the run would end Halted if every gate passed and every reachable cluster converged");
    assertThat(promotions()).isEmpty();
  }

  @Test
  void waitReturns0WhenTheRunSucceeds() {
    try (FakeHub hub = new FakeHub(api.client(), RunPhase.Succeeded)) {
      Cli.Result r =
          cli.run(
              "promote",
              "web",
              "--unit",
              "web",
              "--version",
              "1.5.0",
              "--name",
              "ok",
              "--wait",
              "--timeout",
              "30s",
              "--poll-interval",
              "50ms");
      assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.OK);
      assertThat(r.out())
          .contains(
              "run ok-r1 Running: dev Running, prod Pending | 1/3 converged",
              "run ok-r1 Succeeded: dev Succeeded, prod Succeeded | 3/3 converged",
              "promotion ok succeeded");
    }
  }

  @Test
  void waitReturns1WhenTheRunFailsOrHalts() {
    for (RunPhase bad : List.of(RunPhase.Failed, RunPhase.Halted, RunPhase.RolledBack)) {
      try (FakeHub hub = new FakeHub(api.client(), bad)) {
        String name = "bad-" + bad.name().toLowerCase();
        Cli.Result r =
            cli.run(
                "promote",
                "web",
                "--unit",
                "web",
                "--version",
                "1.5.0",
                "--name",
                name,
                "--wait",
                "--poll-interval",
                "50ms");
        assertThat(r.exit()).as(bad + "\n" + r).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out())
            .contains(
                "run " + name + "-r1 " + bad.name(), "promotion " + name + " did not succeed");
      }
    }
  }

  @Test
  void waitTimesOutWith5() {
    try (FakeHub hub = new FakeHub(api.client(), null)) {
      Cli.Result r =
          cli.run(
              "promote",
              "web",
              "--unit",
              "web",
              "--version",
              "1.5.0",
              "--name",
              "slow",
              "--wait",
              "--timeout",
              "1s",
              "--poll-interval",
              "50ms");
      assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.TIMEOUT);
      assertThat(r.err()).contains("has not finished after 1s", "kapro status web --watch");
    }
  }

  @Test
  void unknownFleetPlanAndUnit() {
    Cli.Result fleet = cli.run("promote", "nope", "--unit", "web", "--version", "1");
    assertThat(fleet.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(fleet.err()).contains("Fleet 'nope' not found");
    Cli.Result plan =
        cli.run("promote", "web", "--unit", "web", "--version", "1", "--plan", "fast");
    assertThat(plan.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(plan.err()).contains("Plan 'fast' not found");
    Cli.Result unit = cli.run("promote", "web", "--unit", "api", "--version", "1");
    assertThat(unit.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(unit.err()).contains("--unit (spec.units[0].name): fleet web has no unit \"api\"");
    assertThat(promotions()).isEmpty();
  }

  @Test
  void hostileInputIsRefusedBeforeAnythingIsSent() {
    Cli.Result version = cli.run("promote", "web", "--unit", "web", "--version", "1.0 beta");
    assertThat(version.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(version.err()).contains("--version (spec.units[0].version)", "is not a version");
    Cli.Result longVersion =
        cli.run("promote", "web", "--unit", "web", "--version", "9".repeat(300));
    assertThat(longVersion.exit()).isEqualTo(ExitCodes.USAGE);
    Cli.Result unitName = cli.run("promote", "web", "--unit", "Web!", "--version", "1");
    assertThat(unitName.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(unitName.err()).contains("--unit (spec.units[0].name)", "is not a DNS label");
    Cli.Result twice =
        cli.run("promote", "web", "-u", "web", "--version", "1", "-u", "web", "--version", "2");
    assertThat(twice.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(twice.err()).contains("listed twice");
    Cli.Result pairs = cli.run("promote", "web", "-u", "web", "-u", "api", "--version", "1");
    assertThat(pairs.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(pairs.err()).contains("2 --unit but 1 --version");
    Cli.Result fleet = cli.run("promote", "../etc", "--unit", "web", "--version", "1");
    assertThat(fleet.exit()).isEqualTo(ExitCodes.USAGE);
    Cli.Result name = cli.run("promote", "web", "--unit", "web", "--version", "1", "--name", "A B");
    assertThat(name.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run("promote", "web", "--unit", "web").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(
            cli.run(
                    "promote",
                    "web",
                    "--unit",
                    "web",
                    "--version",
                    "1",
                    "--wait",
                    "--timeout",
                    "-1s")
                .exit())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run("promote", "web", "--unit", "web", "--version", "1", "--frobnicate").exit())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(promotions()).isEmpty();
  }

  @Test
  void anInvalidPlanIsRefusedAsTheHubWouldRefuseIt() {
    io.kapro.api.v1alpha2.Plan broken = Fleets.plan(api.client(), "broken");
    broken.getSpec().getStages().get(0).setDependsOn(List.of("prod"));
    api.client().resource(broken).update();
    Cli.Result r =
        cli.run(
            "promote", "web", "--unit", "web", "--version", "1", "--plan", "broken", "--dry-run");
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains(
            "plan broken is invalid, nothing was created",
            "spec.stages[0].dependsOn: dependency cycle dev -> prod -> dev");
    assertThat(promotions()).isEmpty();
  }

  @Test
  void aPlanMustBeNamedWhenThereAreSeveral() {
    Fleets.plan(api.client(), "fast");
    Cli.Result r = cli.run("promote", "web", "--unit", "web", "--version", "1");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("has 2 Plans: [default, fast]", "hint: name one with --plan");
    assertThat(
            cli.run("promote", "web", "--unit", "web", "--version", "1", "--plan", "fast").exit())
        .isZero();
  }

  @Test
  void forbiddenCreateIsExit4() {
    api.forbid("POST", "/apis/kapro.io/v1alpha2/namespaces/default/promotions");
    Cli.Result r = cli.run("promote", "web", "--unit", "web", "--version", "1");
    assertThat(r.exit()).isEqualTo(ExitCodes.FORBIDDEN);
    assertThat(r.err()).contains("(403)", "cannot post");
  }
}
