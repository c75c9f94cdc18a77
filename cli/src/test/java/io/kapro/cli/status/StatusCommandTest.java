package io.kapro.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.GateResult;
import io.kapro.api.v1alpha2.GateStatus;
import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.TargetStatus;
import io.kapro.cli.Cli;
import io.kapro.cli.ExitCodes;
import io.kapro.cli.Fleets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StatusCommandTest {
  static LocalKubeApi api;
  static Cli cli;

  @BeforeAll
  static void fleet() {
    api = LocalKubeApi.start();
    cli = new Cli(api);
    KubernetesClient c = api.client();
    Fleets.fleet(c, "web");
    Fleets.fleet(c, "idle");
    Fleets.plan(c, "default");
    Fleets.cluster(c, "web", "dev-1", "dev", "1.4.0", true);
    Fleets.cluster(c, "web", "prod-1", "prod", "1.3.0", true);
    c.resources(io.kapro.api.v1alpha2.Cluster.class)
        .inNamespace(Fleets.NS)
        .withName("prod-1")
        .editStatus(
            cl -> {
              cl.getStatus()
                  .setConditions(
                      io.kapro.api.Conditions.set(
                          cl.getStatus().getConditions(),
                          io.kapro.api.Conditions.of(
                              "Degraded",
                              io.kapro.api.v1alpha2.ConditionStatus.True,
                              "TestFailed",
                              "unit web Degraded: Ready=False (TestFailed)",
                              1L),
                          java.time.Instant.parse("2026-11-21T09:30:00Z")));
              return cl;
            });
    Fleets.cluster(c, "web", "prod-2", "prod", "1.3.0", false);
    Fleets.cluster(c, "other", "lab-1", "dev", "0.1.0", true);
    Fleets.run(c, "web-run-1", "web", "1.4.0", RunPhase.WaitingForApproval);
    Fleets.target(c, "web-run-1", "dev", "dev-1", "1.4.0", TargetPhase.Converged, null);
    TargetStatus waiting = new TargetStatus();
    GateStatus g = new GateStatus();
    g.setName("change-board");
    g.setType(GateType.Approval);
    g.setResult(GateResult.Pending);
    g.setSince("2026-11-21T09:00:00Z");
    waiting.setGates(List.of(g));
    waiting.setMessage("waiting for approval");
    Fleets.target(c, "web-run-1", "prod", "prod-1", "1.4.0", TargetPhase.Waiting, waiting);
    TargetStatus failed = new TargetStatus();
    failed.setMessage("HelmRelease web: install retries exhausted");
    Fleets.target(c, "web-run-1", "prod", "prod-2", "1.4.0", TargetPhase.Failed, failed);
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
  void tablePerStageAndCluster() {
    Cli.Result r = cli.run("status", "web");
    assertThat(r.exit()).as(r.toString()).isZero();
    List<String> lines = r.lines();
    assertThat(lines.get(0)).contains("Fleet web", "run web-run-1 WaitingForApproval", "web=1.4.0");
    assertThat(lines.get(1)).isEqualTo("Stages: dev Succeeded, prod Waiting (wave 1)");
    assertThat(lines.get(2).split("\\s+"))
        .containsExactly("STAGE", "CLUSTER", "VERSION", "PHASE", "SINCE", "HEALTH");
    assertThat(lines.get(3).split("\\s+")).startsWith("dev", "dev-1", "web=1.4.0", "Converged");
    assertThat(lines.get(4).split("\\s+")).startsWith("prod", "prod-1", "web=1.3.0", "Waiting");
    assertThat(lines.get(4)).endsWith("Degraded:TestFailed");
    assertThat(lines.get(5).split("\\s+")).startsWith("prod", "prod-2", "web=1.3.0", "Failed");
    assertThat(lines.get(6))
        .isEqualTo("3 clusters: 1 converged, 0 in flight, 1 waiting, 1 failed, 0 not in the run");
    assertThat(r.out()).doesNotContain("lab-1");
  }

  @Test
  void wideShowsConnectionDesiredAndMessage() {
    Cli.Result r = cli.run("status", "web", "-o", "wide");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.lines().get(2)).contains("CONNECTED", "DESIRED", "MESSAGE");
    String prod2 = r.lines().stream().filter(l -> l.contains("prod-2")).findFirst().orElseThrow();
    assertThat(prod2)
        .contains(
            "Unknown",
            "web=1.4.0",
            "2026-11-21T09:00:00Z",
            "HelmRelease web: install retries exhausted");
  }

  @Test
  void json() throws Exception {
    Cli.Result r = cli.run("status", "web", "-o", "json");
    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode v = new ObjectMapper().readTree(r.out());
    assertThat(v.get("fleet").asText()).isEqualTo("web");
    assertThat(v.get("run").asText()).isEqualTo("web-run-1");
    assertThat(v.get("runPhase").asText()).isEqualTo("WaitingForApproval");
    assertThat(v.get("totals").get("clusters").asInt()).isEqualTo(3);
    assertThat(v.get("totals").get("failed").asInt()).isEqualTo(1);
    assertThat(v.get("clusters")).hasSize(3);
    assertThat(v.get("clusters").get(0).get("cluster").asText()).isEqualTo("dev-1");
    assertThat(v.get("clusters").get(0).get("phase").asText()).isEqualTo("Converged");
    assertThat(v.get("clusters").get(2).get("connected").asText()).isEqualTo("Unknown");
  }

  @Test
  void yaml() {
    Cli.Result r = cli.run("status", "web", "-o", "yaml");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("fleet: \"web\"", "runPhase: \"WaitingForApproval\"");
  }

  @Test
  void everyFleetWithoutAName() throws Exception {
    Cli.Result r = cli.run("status");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.lines().get(0).split("\\s+"))
        .containsExactly("FLEET", "CLUSTERS", "RUN", "PHASE", "VERSION", "CONVERGED", "FAILED");
    // other tests may add fleets (w2); look rows up by name
    assertThat(row(r, "idle")).containsExactly("idle", "0", "-", "-", "-", "0/0", "0");
    assertThat(row(r, "web"))
        .containsExactly("web", "3", "web-run-1", "WaitingForApproval", "web=1.4.0", "1/3", "1");
    JsonNode all = new ObjectMapper().readTree(cli.run("status", "-o", "json").out());
    JsonNode web = null;
    for (JsonNode f : all) {
      if (f.get("fleet").asText().equals("web")) {
        web = f;
      }
    }
    assertThat(web).isNotNull();
    assertThat(web.get("converged").asInt()).isEqualTo(1);
    assertThat(web.get("clusters").asInt()).isEqualTo(3);
  }

  private static String[] row(Cli.Result r, String fleet) {
    return r.lines().stream()
        .map(l -> l.split("\\s+"))
        .filter(cells -> cells[0].equals(fleet))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void watchIsBoundedByTimeout() {
    Cli.Result r = cli.run("status", "web", "--watch", "--timeout", "1s", "--interval", "200ms");
    assertThat(r.exit()).as(r.toString()).isZero();
    // nothing changed: printed once
    assertThat(r.out().split("Fleet web", -1)).hasSize(2);
  }

  @Test
  void watchPrintsAgainWhenSomethingChanges() throws Exception {
    KubernetesClient c = api.client();
    Fleets.fleet(c, "w2");
    Fleets.cluster(c, "w2", "w2-1", "dev", "1.0.0", true);
    Fleets.run(c, "w2-run", "w2", "1.1.0", RunPhase.Running);
    var target = Fleets.target(c, "w2-run", "dev", "w2-1", "1.1.0", TargetPhase.Progressing, null);
    var timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      timer.schedule(
          () -> {
            var fresh = c.resource(target).get();
            fresh.getStatus().setPhase(TargetPhase.Converged);
            c.resource(fresh).updateStatus();
          },
          700,
          java.util.concurrent.TimeUnit.MILLISECONDS);
      Cli.Result r = cli.run("status", "w2", "--watch", "--timeout", "3s", "--interval", "100ms");
      assertThat(r.exit()).as(r.toString()).isZero();
      String[] frames = r.out().split("(?m)^--- .*$");
      assertThat(frames).as(r.out()).hasSize(2);
      assertThat(frames[0]).contains("Progressing").doesNotContain("Converged");
      assertThat(frames[1]).contains("Converged");
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void unknownFleetIsExit3WithAHint() {
    Cli.Result r = cli.run("status", "nope");
    assertThat(r.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err())
        .contains(
            "error: Fleet 'nope' not found in namespace default",
            "hint: list them with: kubectl get fleets -n default");
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void forbiddenIsExit4() {
    api.forbid("GET", "/apis/kapro.io/v1alpha2/namespaces/default/fleets");
    Cli.Result r = cli.run("status", "web");
    assertThat(r.exit()).isEqualTo(ExitCodes.FORBIDDEN);
    assertThat(r.err()).contains("denied the request (403)", "hint: ask for RBAC permission");
  }

  @Test
  void badFlagsAreExit2() {
    assertThat(cli.run("status", "web", "--bogus").exit()).isEqualTo(ExitCodes.USAGE);
    Cli.Result format = cli.run("status", "web", "-o", "xml");
    assertThat(format.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(format.err()).contains("xml");
    Cli.Result timeout = cli.run("status", "web", "--watch", "--timeout", "soon");
    assertThat(timeout.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(timeout.err()).contains("--timeout 'soon' is not a duration");
    Cli.Result name = cli.run("status", "Web_Fleet");
    assertThat(name.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(name.err()).contains("not a valid Fleet name");
    Cli.Result ns = cli.run("status", "web", "-n", "Bad NS");
    assertThat(ns.exit()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void kubeconfigProblems() {
    Cli.Result missing = Cli.raw("status", "--kubeconfig", "/nonexistent/kubeconfig");
    assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("kubeconfig file /nonexistent/kubeconfig does not exist");
    Cli.Result context = cli.run("status", "--context", "nope");
    assertThat(context.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(context.err()).contains("context 'nope' is not in");
  }
}
