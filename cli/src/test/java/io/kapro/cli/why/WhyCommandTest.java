package io.kapro.cli.why;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.BundleRef;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Evidence;
import io.kapro.api.v1alpha2.GateResult;
import io.kapro.api.v1alpha2.GateStatus;
import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.TargetStatus;
import io.kapro.api.v1alpha2.UnitEvidence;
import io.kapro.api.v1alpha2.UnitPhase;
import io.kapro.cli.Cli;
import io.kapro.cli.ExitCodes;
import io.kapro.cli.Fleets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WhyCommandTest {
  static LocalKubeApi api;
  static Cli cli;

  @BeforeAll
  static void start() {
    api = LocalKubeApi.start();
    cli = new Cli(api);
    KubernetesClient c = api.client();
    Fleets.fleet(c, "web");
    Fleets.cluster(c, "web", "dev-1", "dev", "1.4.0", true);
    Fleets.cluster(c, "web", "prod-1", "prod", "1.3.0", true);
    Fleets.cluster(c, "web", "prod-2", "prod", "1.3.0", false);
    Fleets.cluster(c, "web", "lab-1", "lab", "0.9.0", true);
    Fleets.run(c, "run-1", "web", "1.4.0", RunPhase.WaitingForApproval);
    Fleets.target(c, "run-1", "dev", "dev-1", "1.4.0", TargetPhase.Converged, null);

    TargetStatus held = new TargetStatus();
    GateStatus g = new GateStatus();
    g.setName("change-board");
    g.setType(GateType.Approval);
    g.setResult(GateResult.Pending);
    g.setSince("2026-11-21T09:00:00Z");
    held.setGates(List.of(g));
    Fleets.target(c, "run-1", "prod", "prod-1", "1.4.0", TargetPhase.Waiting, held);

    TargetStatus stuck = new TargetStatus();
    BundleRef b = new BundleRef();
    b.setSequence(7L);
    b.setPublishedAt("2026-11-21T09:05:00Z");
    stuck.setBundle(b);
    UnitEvidence ue = new UnitEvidence();
    ue.setUnit("web");
    ue.setPhase(UnitPhase.Progressing);
    ue.setMessage("HelmRelease apps/web: upgrade in progress");
    Evidence ev = new Evidence();
    ev.setUnits(List.of(ue));
    stuck.setEvidence(ev);
    Fleets.target(c, "run-1", "prod", "prod-2", "1.4.0", TargetPhase.Published, stuck);

    Fleets.cluster(c, "web", "prod-3", "prod", "1.3.0", true);
    TargetStatus blocked = new TargetStatus();
    blocked.setMessage("publish blocked: Secret default/kapro-signing does not exist");
    blocked.setConditions(
        List.of(
            Conditions.of(
                Kapro.ConditionTypes.PUBLISHED,
                ConditionStatus.False,
                Kapro.Reasons.INVALID_SPEC,
                "Fleet default/web spec.signing.keySecretRef: Secret default/kapro-signing does"
                    + " not exist; create it with a PEM PKCS#8 ECDSA P-256 private key",
                1L)));
    Fleets.target(c, "run-1", "prod", "prod-3", "1.4.0", TargetPhase.Publishing, blocked);
  }

  @Test
  void aBundleTheHubCannotPublishSaysWhy() {
    Cli.Result r = cli.run("why", "prod-3");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains(
            "its bundle cannot be published (InvalidSpec): Fleet default/web"
                + " spec.signing.keySecretRef: Secret default/kapro-signing does not exist",
            "to release: fix what the message names");
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @AfterEach
  void allow() {
    api.allowAll();
  }

  @Test
  void anApprovalGateNamesTheCommandThatReleasesIt() {
    Cli.Result r = cli.run("why", "prod-1");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.lines())
        .containsExactly(
            "prod-1 is not on web=1.4.0 yet: Waiting since 2026-11-21T09:00:00Z; it runs web=1.3.0.",
            "  run run-1, stage prod, target run-1-prod-prod-1",
            "  - held by gate change-board (Approval) since 2026-11-21T09:00:00Z: waiting for approval"
                + " of stage prod",
            "  to release: kapro approve run-1 --stage prod --reason \"...\"");
  }

  @Test
  void aConvergedTarget() {
    Cli.Result r = cli.run("why", "run-1-dev-dev-1");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.lines().get(0))
        .isEqualTo("dev-1 is on web=1.4.0 (converged since 2026-11-21T09:00:00Z).");
  }

  @Test
  void aDisconnectedAgentAndItsLastEvidence() {
    Cli.Result r = cli.run("why", "prod-2");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains(
            "bundle sequence 7 was published since 2026-11-21T09:05:00Z and is not applied yet",
            "the agent of prod-2 is not connected (Connected=Unknown, HeartbeatMissed, last seen 2026-11-20T10:00:00Z)",
            "agent reports unit web Progressing: HelmRelease apps/web: upgrade in progress",
            "to release: check the agent in that cluster");
  }

  @Test
  void aClusterNoStageSelects() {
    Cli.Result r = cli.run("why", "lab-1");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.lines().get(0)).isEqualTo("lab-1 is in no promotion run; it runs web=0.9.0.");
  }

  @Test
  void json() throws Exception {
    Cli.Result r = cli.run("why", "prod-1", "-o", "json");
    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode w = new ObjectMapper().readTree(r.out());
    assertThat(w.get("cluster").asText()).isEqualTo("prod-1");
    assertThat(w.get("phase").asText()).isEqualTo("Waiting");
    assertThat(w.get("proven").asText()).isEqualTo("web=1.3.0");
    assertThat(w.get("desired").asText()).isEqualTo("web=1.4.0");
    assertThat(w.get("hints").get(0).asText())
        .isEqualTo("kapro approve run-1 --stage prod --reason \"...\"");
  }

  @Test
  void errors() {
    Cli.Result unknown = cli.run("why", "nowhere");
    assertThat(unknown.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(unknown.err()).contains("no Target or Cluster named 'nowhere'");
    assertThat(cli.run("why", "Not/A/Name").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run("why").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run("why", "prod-1", "--verbose-ish").exit()).isEqualTo(ExitCodes.USAGE);
    api.forbid("GET", "/apis/kapro.io/v1alpha2/namespaces/default/targets");
    assertThat(cli.run("why", "prod-1").exit()).isEqualTo(ExitCodes.FORBIDDEN);
  }
}
