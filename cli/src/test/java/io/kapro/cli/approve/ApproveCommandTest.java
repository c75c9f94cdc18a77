package io.kapro.cli.approve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Approval;
import io.kapro.api.v1alpha2.Decision;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.cli.Cli;
import io.kapro.cli.ExitCodes;
import io.kapro.cli.Fleets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ApproveCommandTest {
  static LocalKubeApi api;
  static Cli cli;

  @BeforeAll
  static void start() {
    api = LocalKubeApi.start();
    cli = new Cli(api);
    Fleets.fleet(api.client(), "web");
    Fleets.run(api.client(), "run-1", "web", "1.4.0", RunPhase.WaitingForApproval);
    Fleets.target(api.client(), "run-1", "prod", "prod-1", "1.4.0", TargetPhase.Waiting, null);
    Fleets.run(api.client(), "run-2", "web", "1.5.0", RunPhase.Running);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @AfterEach
  void clean() {
    api.allowAll();
    api.client().resources(Approval.class).inNamespace("default").delete();
  }

  private List<Approval> approvals() {
    return api.client().resources(Approval.class).inNamespace("default").list().getItems();
  }

  @Test
  void approveAStageAsTheKubeconfigUser() {
    Cli.Result r = cli.run("approve", "run-1", "--stage", "prod", "--reason", "CHG-42 approved");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .matches(
            "approval.kapro.io/run-1-prod-approve-[a-z0-9]{4} created: Approve run run-1 stage prod as local\n");
    Approval a = approvals().get(0);
    assertThat(a.getSpec().getRun()).isEqualTo("run-1");
    assertThat(a.getSpec().getStage()).isEqualTo("prod");
    assertThat(a.getSpec().getTarget()).isNull();
    assertThat(a.getSpec().getDecision()).isEqualTo(Decision.Approve);
    assertThat(a.getSpec().getApprover()).isEqualTo("local");
    assertThat(a.getSpec().getReason()).isEqualTo("CHG-42 approved");
    assertThat(a.getMetadata().getLabels())
        .containsEntry("kapro.io/promotionrun", "run-1")
        .containsEntry("kapro.io/stage", "prod")
        .containsEntry("kapro.io/fleet", "web");
  }

  @Test
  void rejectATargetAsSomeoneElseInJson() throws Exception {
    Cli.Result r =
        cli.run(
            "reject",
            "run-1",
            "--target",
            "run-1-prod-prod-1",
            "--reason",
            "too risky",
            "--as",
            "alice@example.com",
            "-o",
            "json");
    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode a = new ObjectMapper().readTree(r.out());
    assertThat(a.get("kind").asText()).isEqualTo("Approval");
    assertThat(a.get("spec").get("decision").asText()).isEqualTo("Reject");
    assertThat(a.get("spec").get("target").asText()).isEqualTo("run-1-prod-prod-1");
    assertThat(a.get("spec").get("approver").asText()).isEqualTo("alice@example.com");
    assertThat(approvals()).hasSize(1);
  }

  @Test
  void wholeRun() {
    Cli.Result r = cli.run("approve", "run-2", "-r", "ok");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(approvals().get(0).getSpec().getStage()).isNull();
  }

  @Test
  void unknownRunStageOrTarget() {
    Cli.Result run = cli.run("approve", "run-9", "--stage", "prod", "--reason", "x");
    assertThat(run.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.err()).contains("PromotionRun 'run-9' not found in namespace default");
    Cli.Result stage = cli.run("approve", "run-1", "--stage", "qa", "--reason", "x");
    assertThat(stage.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(stage.err()).contains("run run-1 has no stage 'qa'", "its stages are [dev, prod]");
    Cli.Result target = cli.run("approve", "run-1", "--target", "nope", "--reason", "x");
    assertThat(target.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    Cli.Result other =
        cli.run("approve", "run-2", "--target", "run-1-prod-prod-1", "--reason", "x");
    assertThat(other.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(other.err()).contains("belongs to run run-1, not run-2");
    assertThat(approvals()).isEmpty();
  }

  @Test
  void hostileInput() {
    assertThat(cli.run("approve", "run-1", "--stage", "prod").exit()).isEqualTo(ExitCodes.USAGE);
    Cli.Result both =
        cli.run("approve", "run-1", "--stage", "prod", "--target", "t", "--reason", "x");
    assertThat(both.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("mutually exclusive");
    assertThat(cli.run("approve", "run-1", "--reason", "  ").exit()).isEqualTo(ExitCodes.USAGE);
    Cli.Result stage = cli.run("approve", "run-1", "--stage", "Prod Stage", "--reason", "x");
    assertThat(stage.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(stage.err()).contains("spec.stage", "is not a DNS label");
    assertThat(cli.run("approve", "RUN/1", "--reason", "x").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run("approve", "run-1", "--reason", "x", "--as", "").exit())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run("approve").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(approvals()).isEmpty();
  }

  @Test
  void forbidden() {
    api.forbid("POST", "/apis/kapro.io/v1alpha2/namespaces/default/approvals");
    Cli.Result r = cli.run("approve", "run-1", "--stage", "prod", "--reason", "x");
    assertThat(r.exit()).isEqualTo(ExitCodes.FORBIDDEN);
    assertThat(r.err()).contains("403");
  }
}
