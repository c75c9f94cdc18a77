package io.kapro.cli.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionPhase;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.PromotionSpec;
import io.kapro.api.v1alpha2.PromotionStatus;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.cli.Cli;
import io.kapro.cli.ExitCodes;
import io.kapro.cli.Fleets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kapro pause|resume|abort|rollback} against a local API server: what they write on the
 * Promotion, what they refuse, and their exit codes with {@code --wait} while a small stand-in for
 * the hub moves the run the way the engine does (the engine's own behaviour is tested in the hub's
 * RunEngineControlTest and end to end in e2e).
 */
class ControlCommandTest {
  LocalKubeApi api;
  Cli cli;
  KubernetesClient client;
  final ScheduledExecutorService hub = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void start() {
    api = LocalKubeApi.start();
    cli = new Cli(api);
    client = api.client();
    Fleets.fleet(client, "web");
    Fleets.plan(client, "default");
    Fleets.cluster(client, "web", "dev-1", "dev", "1.5.0", true);
    Fleets.cluster(client, "web", "prod-1", "prod", "1.5.0", true);
    Fleets.cluster(client, "web", "prod-2", "prod", "1.4.0", true);
    previous("dev-1", "1.4.0");
    previous("prod-1", "1.4.0");
    promotion("web-150", "1.5.0", "web-150-r1");
    Fleets.run(client, "web-150-r1", "web", "1.5.0", RunPhase.Running);
    PromotionRun r = Fleets.get(client, PromotionRun.class, "web-150-r1");
    r.getSpec().setPromotion("web-150");
    client.resource(r).update();
  }

  @AfterEach
  void stop() {
    hub.shutdownNow();
    api.close();
  }

  private void previous(String cluster, String version) {
    Cluster c = Fleets.get(client, Cluster.class, cluster);
    c.getStatus().setPreviousVersions(Map.of("web", version));
    client.resource(c).updateStatus();
  }

  private void promotion(String name, String version, String currentRun) {
    Promotion p = new Promotion();
    p.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(Fleets.NS).build());
    PromotionSpec spec = new PromotionSpec();
    spec.setFleet("web");
    spec.setPlan("default");
    spec.setUnits(List.of(Fleets.unit(version)));
    p.setSpec(spec);
    Promotion created = client.resource(p).create();
    PromotionStatus st = new PromotionStatus();
    st.setPhase(PromotionPhase.Running);
    st.setCurrentRun(currentRun);
    created.setStatus(st);
    client.resource(created).updateStatus();
  }

  private Promotion promotion() {
    return Fleets.get(client, Promotion.class, "web-150");
  }

  private void runEnds(String run, RunPhase phase) {
    Fleets.setPhase(
        client,
        Fleets.get(client, PromotionRun.class, run),
        phase,
        List.of(Fleets.stage("dev", StagePhase.Succeeded, 0)));
  }

  /** The stand-in hub: once the Promotion carries {@code check}, the run goes to {@code phase}. */
  private void hubActs(java.util.function.Predicate<PromotionSpec> check, RunPhase phase) {
    hub.scheduleWithFixedDelay(
        () -> {
          if (check.test(promotion().getSpec())) {
            var run = Fleets.get(client, PromotionRun.class, "web-150-r1");
            if (run.getStatus().getPhase() != phase) {
              runEnds("web-150-r1", phase);
            }
          }
        },
        50,
        50,
        java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  @Test
  void pauseAndResumeSetTheFlagOnThePromotionOfTheRun() {
    Cli.Result r = cli.run("pause", "web-150-r1");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("promotion.kapro.io/web-150 paused (run web-150-r1)\n");
    assertThat(promotion().getSpec().getPaused()).isTrue();
    r = cli.run("resume", "web-150");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(promotion().getSpec().getPaused()).isNotEqualTo(Boolean.TRUE);
  }

  @Test
  void pauseWaitExits0OnceTheRunIsPaused() {
    hubActs(s -> Boolean.TRUE.equals(s.getPaused()), RunPhase.Paused);
    Cli.Result r = cli.run("pause", "web-150", "--wait", "--poll-interval", "100ms");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("run web-150-r1 Paused");
  }

  @Test
  void abortWaitExits0OnceAbortedAnd1IfTheRunEndedOtherwise() {
    hubActs(s -> Boolean.TRUE.equals(s.getAbort()), RunPhase.Aborted);
    Cli.Result r = cli.run("abort", "web-150-r1", "--wait", "--poll-interval", "100ms");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(promotion().getSpec().getAbort()).isTrue();
    assertThat(r.out()).contains("run web-150-r1 Aborted");
  }

  @Test
  void waitTimesOutWith5WhenTheHubDoesNotAct() {
    Cli.Result r =
        cli.run("pause", "web-150", "--wait", "--timeout", "300ms", "--poll-interval", "50ms");
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.TIMEOUT);
  }

  @Test
  void aRunThatEndedCannotBePausedResumedOrAbortedAndNothingChanges() {
    runEnds("web-150-r1", RunPhase.Succeeded);
    for (String verb : List.of("pause", "resume", "abort")) {
      Cli.Result r = cli.run(verb, "web-150-r1");
      assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
      assertThat(r.err()).contains("has already ended Succeeded; there is nothing to " + verb);
    }
    assertThat(promotion().getSpec().getPaused()).isNotEqualTo(Boolean.TRUE);
    assertThat(promotion().getSpec().getAbort()).isNotEqualTo(Boolean.TRUE);
  }

  @Test
  void unknownNamesExit3AndASupersededRunExits2() {
    Cli.Result r = cli.run("abort", "nope");
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    Fleets.run(client, "web-150-old", "web", "1.4.0", RunPhase.Superseded);
    PromotionRun old = Fleets.get(client, PromotionRun.class, "web-150-old");
    old.getSpec().setPromotion("web-150");
    client.resource(old).update();
    r = cli.run("pause", "web-150-old");
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("is not the current run of promotion web-150");
  }

  @Test
  void rollbackPromotesTheLastProvenVersionAsARollbackRun() {
    Cli.Result r = cli.run("rollback", "web-150");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "promotion.kapro.io/web-150 rolling back to [web=1.4.0] (supersedes run"
                + " web-150-r1)\n");
    PromotionSpec spec = promotion().getSpec();
    assertThat(spec.getUnits())
        .singleElement()
        .satisfies(u -> assertThat(u.getVersion()).isEqualTo("1.4.0"));
    assertThat(spec.getRollback()).isTrue();
    assertThat(spec.getSkipGates()).isNull();
  }

  @Test
  void rollbackWaitFollowsTheNewRunNotTheSupersededOne() {
    hub.schedule(
        () -> {
          Fleets.run(client, "web-150-r2", "web", "1.4.0", RunPhase.Succeeded);
          runEnds("web-150-r1", RunPhase.Superseded);
          Promotion p = promotion();
          p.getStatus().setCurrentRun("web-150-r2");
          client.resource(p).updateStatus();
        },
        300,
        java.util.concurrent.TimeUnit.MILLISECONDS);
    Cli.Result r =
        cli.run("rollback", "web-150-r1", "--skip-gates", "--wait", "--poll-interval", "50ms");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("without gates", "run web-150-r2 Succeeded");
    assertThat(r.out()).doesNotContain("web-150-r1 Superseded");
    assertThat(promotion().getSpec().getSkipGates()).isTrue();
  }

  @Test
  void rollbackRefusesWhenTheClustersDisagree() {
    previous("prod-1", "1.3.0");
    Map<String, String> before = new HashMap<>();
    before.put("version", promotion().getSpec().getUnits().get(0).getVersion());
    Cli.Result r = cli.run("rollback", "web-150");
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains(
            "disagree on the last proven version of unit web: {1.3.0=[prod-1], 1.4.0=[dev-1,");
    assertThat(promotion().getSpec().getUnits().get(0).getVersion())
        .isEqualTo(before.get("version"));
    assertThat(promotion().getSpec().getRollback()).isNull();
  }
}
