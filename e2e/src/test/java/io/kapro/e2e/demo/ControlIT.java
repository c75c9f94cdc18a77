package io.kapro.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.cli.ExitCodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * People in control of a run, end to end (real hub, registry, agents; the quickstart plan: canary,
 * then prod in waves of one cluster and the rest behind an approval): {@code kapro pause} during
 * the prod wave holds every new publication while the Target in flight finishes, {@code kapro
 * resume} carries on to Succeeded, {@code kapro rollback} returns the fleet to the last proven
 * versions with a new run, {@code kapro abort} cancels what was not published; each command with
 * the exit code docs/cli.md documents.
 */
class ControlIT {
  private static final Duration RUN = Duration.ofMinutes(3);

  @TempDir Path dir;
  private DemoFleet fleet;

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
  }

  private CliRun kapro(String... args) {
    return CliRun.kapro(fleet, args);
  }

  private RunPhase phase(String run) {
    return fleet.run(run).map(PromotionRun::getStatus).map(s -> s.getPhase()).orElse(null);
  }

  private Optional<Target> target(String run, String cluster) {
    return fleet.targets(run).stream()
        .filter(t -> cluster.equals(t.getSpec().getCluster()))
        .findFirst();
  }

  private static boolean published(Optional<Target> t) {
    return t.map(Target::getStatus).map(s -> s.getBundle() != null).orElse(false);
  }

  private static TargetPhase phaseOf(Optional<Target> t) {
    return t.map(Target::getStatus).map(s -> s.getPhase()).orElse(null);
  }

  private String runWaitingForProdApproval(String promotion) {
    String run =
        await().atMost(RUN).until(() -> fleet.currentRun(promotion).orElse(null), r -> r != null);
    await().atMost(RUN).until(() -> phase(run) == RunPhase.WaitingForApproval);
    return run;
  }

  @Test
  @Timeout(300)
  void pauseDuringTheProdWaveResumeRollbackAndAbort() {
    fleet = DemoFleet.start(DemoOptions.defaults().withClusters(3), dir, l -> {});
    fleet.applyBaseline();
    assertThat(new DemoRun(fleet, l -> {}, true).follow("shop-1-3-0", RUN).phase())
        .isEqualTo(RunPhase.Succeeded);
    List<String> names = fleet.clusterNames(); // canary-eu-1, prod-eu-1 (wave 1), prod-us-1
    String first = names.get(1);
    String second = names.get(2);

    fleet.applyPromotion();
    String run = runWaitingForProdApproval(DemoFleet.PROMOTION);
    // the first prod cluster's agent is away, so its Target stays in flight while we pause
    fleet.stopAgent(first);
    CliRun approved = kapro("approve", run, "--stage", "prod", "--reason", "canary looked good");
    assertThat(approved.exit()).as(approved.toString()).isZero();
    await().atMost(RUN).until(() -> published(target(run, first)));

    CliRun paused = kapro("pause", run, "--wait", "--timeout", "2m", "--poll-interval", "200ms");
    assertThat(paused.exit()).as(paused.toString()).isEqualTo(ExitCodes.OK);
    assertThat(paused.out()).contains("run " + run + " Paused");
    // the Target in flight finishes while paused; the next wave does not open
    fleet.startAgent(first);
    await().atMost(RUN).until(() -> phaseOf(target(run, first)) == TargetPhase.Converged);
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> !published(target(run, second)) && phase(run) == RunPhase.Paused);
    assertThat(fleet.localVersions(second)).isEqualTo("web=1.3.0,api=v1.3.0");

    CliRun resumed = kapro("resume", DemoFleet.PROMOTION, "--wait", "--poll-interval", "200ms");
    assertThat(resumed.exit()).as(resumed.toString()).isEqualTo(ExitCodes.OK);
    await().atMost(RUN).until(() -> phase(run) == RunPhase.Succeeded);
    for (String c : names) {
      assertThat(fleet.localVersions(c)).isEqualTo("web=1.4.0,api=v1.4.0");
    }
    CliRun endedAlready = kapro("pause", run);
    assertThat(endedAlready.exit()).as(endedAlready.toString()).isEqualTo(ExitCodes.FAILED);

    // roll back: a new run, new bundle sequences, to the versions proven before
    long seqBefore = fleet.cluster(second).getStatus().getSequence().getPublished();
    CliRun back =
        kapro(
            "rollback",
            DemoFleet.PROMOTION,
            "--skip-gates",
            "--wait",
            "--timeout",
            "3m",
            "--poll-interval",
            "200ms");
    assertThat(back.exit()).as(back.toString()).isEqualTo(ExitCodes.OK);
    assertThat(back.out()).contains("rolling back to [web=1.3.0, api=v1.3.0] without gates");
    String rollbackRun = fleet.currentRun(DemoFleet.PROMOTION).orElseThrow();
    assertThat(rollbackRun).isNotEqualTo(run);
    assertThat(phase(run)).isEqualTo(RunPhase.Succeeded);
    assertThat(phase(rollbackRun)).isEqualTo(RunPhase.Succeeded);
    for (String c : names) {
      assertThat(fleet.localVersions(c)).isEqualTo("web=1.3.0,api=v1.3.0");
    }
    assertThat(fleet.cluster(second).getStatus().getSequence().getPublished())
        .isGreaterThan(seqBefore);
    assertThat(fleet.targets(rollbackRun))
        .allSatisfy(t -> assertThat(t.getSpec().getRollback()).isTrue());

    // abort a fresh promotion while prod waits for its approval: prod is Cancelled
    CliRun promoted =
        kapro(
            "promote",
            "shop",
            "--unit",
            "web",
            "--version",
            DemoFleet.NEW_WEB,
            "--unit",
            "api",
            "--version",
            DemoFleet.NEW_API,
            "--plan",
            "canary-then-prod",
            "--name",
            "again");
    assertThat(promoted.exit()).as(promoted.toString()).isZero();
    String again = runWaitingForProdApproval("again");
    CliRun aborted = kapro("abort", again, "--wait", "--poll-interval", "200ms");
    assertThat(aborted.exit()).as(aborted.toString()).isEqualTo(ExitCodes.OK);
    assertThat(phase(again)).isEqualTo(RunPhase.Aborted);
    await()
        .atMost(RUN)
        .untilAsserted(
            () ->
                assertThat(fleet.targets(again))
                    .filteredOn(t -> "prod".equals(t.getSpec().getStage()))
                    .isNotEmpty()
                    .allSatisfy(
                        t -> assertThat(phaseOf(Optional.of(t))).isEqualTo(TargetPhase.Cancelled)));
    assertThat(fleet.localVersions(second)).isEqualTo("web=1.3.0,api=v1.3.0");
    CliRun abortAgain = kapro("abort", again);
    assertThat(abortAgain.exit()).as(abortAgain.toString()).isEqualTo(ExitCodes.FAILED);
    CliRun missing = kapro("abort", "no-such-run");
    assertThat(missing.exit()).as(missing.toString()).isEqualTo(ExitCodes.NOT_FOUND);
  }
}
