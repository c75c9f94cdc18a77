package io.kapro.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kapro.api.v1alpha2.OnFailure;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.RunPhase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kapro promote --wait} and {@code kapro approve} in the demo scenario (real hub, registry,
 * agents): a CI script's view. The command returns 0 once every cluster converged, non-zero when
 * the run fails.
 */
class PromoteWaitIT {
  private static final Duration RUN = Duration.ofMinutes(3);

  @TempDir Path dir;
  private DemoFleet fleet;
  private final List<String> log = new ArrayList<>();

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
  }

  private CliRun kapro(String... args) {
    return CliRun.kapro(fleet, args);
  }

  private void start(DemoOptions options) {
    fleet = DemoFleet.start(options, dir, this::say);
    fleet.applyBaseline();
    assertThat(new DemoRun(fleet, l -> {}, true).follow("shop-1-3-0", RUN).phase())
        .isEqualTo(RunPhase.Succeeded);
  }

  private synchronized void say(String line) {
    log.add(line);
  }

  /**
   * Runs the command on a thread of its own, as a separate process would: not on the common
   * fork-join pool, whose one worker on a 2-core machine the clients' async callbacks need too.
   */
  private CompletableFuture<CliRun> promoteAndWait() {
    return CompletableFuture.supplyAsync(
        () ->
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
                DemoFleet.PROMOTION,
                "--wait",
                "--timeout",
                "3m"),
        r -> Thread.ofPlatform().name("kapro-promote-wait").daemon().start(r));
  }

  /** Approves prod with {@code kapro approve} once the run waits for it; returns the run. */
  private String approveProdWhenAsked() {
    String run =
        await()
            .atMost(RUN)
            .until(() -> fleet.currentRun(DemoFleet.PROMOTION).orElse(null), r -> r != null);
    await()
        .atMost(RUN)
        .until(
            () ->
                fleet
                    .run(run)
                    .map(PromotionRun::getStatus)
                    .map(s -> s.getPhase() == RunPhase.WaitingForApproval)
                    .orElse(false));
    CliRun approved = kapro("approve", run, "--stage", "prod", "--reason", "canary looked good");
    assertThat(approved.exit()).as(approved.toString()).isZero();
    return run;
  }

  @Test
  @Timeout(300)
  void promoteWaitReturnsZeroOnceEveryClusterConverged() throws Exception {
    start(DemoOptions.defaults().withClusters(2));
    CompletableFuture<CliRun> promote = promoteAndWait();
    String run = approveProdWhenAsked();
    CliRun r = promote.get(4, TimeUnit.MINUTES);

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains(run).contains("Succeeded");
    assertThat(fleet.run(run).orElseThrow().getStatus().getPhase()).isEqualTo(RunPhase.Succeeded);
    for (String c : fleet.clusterNames()) {
      assertThat(fleet.localVersions(c)).isEqualTo("web=1.4.0,api=v1.4.0");
    }
  }

  @Test
  @Timeout(300)
  void promoteWaitExitsNonZeroWhenTheRunFails() throws Exception {
    String failing = DemoOptions.clusterNames(2).get(1);
    start(DemoOptions.defaults().withClusters(2).withFail(failing, OnFailure.Halt));
    CompletableFuture<CliRun> promote = promoteAndWait();
    String run = approveProdWhenAsked();
    CliRun r = promote.get(4, TimeUnit.MINUTES);

    assertThat(r.exit()).as(r.toString()).isNotZero();
    assertThat(r.out() + r.err()).contains(run).contains("Halted");
    assertThat(fleet.run(run).orElseThrow().getStatus().getPhase()).isEqualTo(RunPhase.Halted);
  }
}
