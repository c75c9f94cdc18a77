package io.kapro.e2e.fault;

import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.e2e.demo.DemoFleet;
import io.kapro.e2e.demo.DemoOptions;
import io.kapro.e2e.demo.DemoRun;
import io.kapro.e2e.demo.FleetWiring;
import io.kapro.e2e.invariant.ApplyLog;
import io.kapro.e2e.invariant.FleetHistory;
import io.kapro.e2e.invariant.History;
import io.kapro.e2e.invariant.History.Expected;
import io.kapro.e2e.invariant.InvariantChecker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * One fault scenario's world: the demo fleet (real hub, registry, agents over mTLS, fake Flux and
 * Argo CD), wired as the scenario says, with every agent apply recorded; promotes the quickstart
 * Promotion and checks the invariants at the end.
 */
final class FaultFleet implements AutoCloseable {
  static final Duration RUN = Duration.ofMinutes(3);
  static final Duration DRAIN = Duration.ofSeconds(30);

  final DemoFleet fleet;
  final ApplyLog applies;
  final List<String> log = Collections.synchronizedList(new ArrayList<>());
  final List<AutoCloseable> closeables = new ArrayList<>();

  private FaultFleet(DemoFleet fleet, ApplyLog applies) {
    this.fleet = fleet;
    this.applies = applies;
  }

  static FaultFleet start(Path dir, int clusters, FleetWiring wiring) {
    ApplyLog applies = ApplyLog.attach();
    List<String> early = Collections.synchronizedList(new ArrayList<>());
    try {
      DemoOptions options =
          DemoOptions.defaults().withClusters(clusters).withSoak(Duration.ofSeconds(1));
      FaultFleet f = new FaultFleet(DemoFleet.start(options, wiring, dir, early::add), applies);
      f.log.addAll(early);
      return f;
    } catch (RuntimeException e) {
      applies.close();
      throw new IllegalStateException(
          "the fleet did not start: " + e.getMessage() + "\n" + String.join("\n", early), e);
    }
  }

  void say(String line) {
    log.add(line);
  }

  String transcript() {
    synchronized (log) {
      return String.join("\n", log);
    }
  }

  /** Applies the quickstart Promotion and follows it to a final phase, approving on the way. */
  DemoRun.Result promote(Consumer<io.kapro.e2e.demo.FleetTable> onChange) {
    fleet.applyPromotion();
    return new DemoRun(fleet, this::say, true).onChange(onChange).follow(DemoFleet.PROMOTION, RUN);
  }

  /** Every cluster's Target of {@code run} (canary and prod stages) ends in {@code phase}. */
  List<Expected> every(String run, TargetPhase phase) {
    List<Expected> out = new ArrayList<>();
    for (String c : fleet.clusterNames()) {
      out.add(new Expected(run, c, c.startsWith("canary") ? "canary" : "prod", phase));
    }
    return out;
  }

  /** Records the history (stops the agents) and checks it; fails naming every violation. */
  History assertInvariants(List<Expected> expected) {
    History h = FleetHistory.record(fleet, applies, expected, DRAIN);
    InvariantChecker.Report r = InvariantChecker.check(h);
    if (!r.held()) {
      throw new AssertionError(r.describe() + "\n--- scenario transcript ---\n" + transcript());
    }
    say("invariants held: " + h.applies().size() + " applies, " + h.deliveries());
    return h;
  }

  @Override
  public void close() {
    for (AutoCloseable c : closeables.reversed()) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort
      }
    }
    fleet.close();
    applies.close();
  }
}
