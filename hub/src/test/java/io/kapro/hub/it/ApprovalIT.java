package io.kapro.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.agent.testing.MutableClock;
import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Approval;
import io.kapro.api.v1alpha2.ApprovalSpec;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Decision;
import io.kapro.api.v1alpha2.Gate;
import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.Stage;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.HubOperator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Approvals: a rejection fails the gate (and halts the run); a bad Approval says what to fix. */
class ApprovalIT {
  private LocalKubeApi api;
  private KubernetesClient client;
  private HubFixture fixture;
  private HubOperator hub;
  private final MutableClock clock = new MutableClock();

  @BeforeEach
  void start() {
    api = LocalKubeApi.start();
    client = api.client();
    fixture = new HubFixture(client);
    fixture.fleet("shop");
    fixture.clusters("shop", "prod", 2);
    Stage prod = HubFixture.stage("prod", List.of("100%"));
    Gate gate = new Gate();
    gate.setName("change-board");
    gate.setType(GateType.Approval);
    prod.setGates(List.of(gate));
    fixture.plan("gated", prod);
    hub =
        HubOperator.start(
            client,
            new RecordingPublisher(clock),
            new HubOperator.Settings(clock, Duration.ofMillis(300)));
  }

  @AfterEach
  void stop() {
    hub.close();
    api.close();
  }

  @Test
  void aRejectionFailsTheGateAndHaltsTheRun() {
    fixture.promotion("web", "shop", "gated", "2.0.0");
    String run =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> fixture.currentRun("web"), r -> r != null);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fixture.runPhase(run) == RunPhase.WaitingForApproval);

    approval("wrong-stage", run, "staging", Decision.Approve);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                ready("wrong-stage") != null
                    && ready("wrong-stage").getStatus() == ConditionStatus.False);
    assertThat(ready("wrong-stage").getReason()).isEqualTo(Kapro.Reasons.INVALID_SPEC);
    assertThat(ready("wrong-stage").getMessage())
        .isEqualTo("spec.stage: the run's plan has no stage staging");

    approval("no", run, "prod", Decision.Reject);
    await().atMost(Duration.ofSeconds(30)).until(() -> fixture.runPhase(run) == RunPhase.Halted);
    // The run's status is written before its Targets' (one reconcile, two writes): wait for both.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(fixture.targets(run))
                    .hasSize(2)
                    .allSatisfy(
                        t -> {
                          assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Failed);
                          assertThat(t.getStatus().getMessage())
                              .startsWith("GateFailed: gate change-board failed: rejected by bob");
                        }));
    assertThat(ready("no").getReason()).isEqualTo(Kapro.Reasons.REJECTED);
  }

  private void approval(String name, String run, String stage, Decision decision) {
    Approval a = new Approval();
    a.getMetadata().setName(name);
    ApprovalSpec spec = new ApprovalSpec();
    spec.setRun(run);
    spec.setStage(stage);
    spec.setDecision(decision);
    spec.setApprover("bob");
    spec.setReason("not today");
    a.setSpec(spec);
    client.resource(a).inNamespace("default").create();
  }

  private io.kapro.api.v1alpha2.Condition ready(String approval) {
    Approval a = client.resources(Approval.class).inNamespace("default").withName(approval).get();
    return a == null || a.getStatus() == null
        ? null
        : Conditions.find(a.getStatus().getConditions(), Kapro.ConditionTypes.READY).orElse(null);
  }
}
