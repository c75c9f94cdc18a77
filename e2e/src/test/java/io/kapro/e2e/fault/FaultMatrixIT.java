package io.kapro.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kapro.api.testing.ApiKind;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.e2e.agent.AgentProcess;
import io.kapro.e2e.demo.DemoFleet;
import io.kapro.e2e.demo.DemoRun;
import io.kapro.e2e.demo.FleetWiring;
import io.kapro.e2e.invariant.History;
import io.kapro.e2e.invariant.History.Expected;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix of issue 12: each scenario runs the quickstart Promotion (canary, approval, prod
 * waves) through the real hub, registry and agents while one fault is injected, and then checks
 * every invariant (I1–I5, {@link io.kapro.e2e.invariant.InvariantChecker}). Size from {@code
 * kapro.scale}: 3 clusters when small (CI), 8 when large. Results go to {@code
 * target/fault-matrix.md}.
 */
class FaultMatrixIT {
  static final boolean LARGE = "large".equals(System.getProperty("kapro.scale", "small"));
  static final int CLUSTERS = LARGE ? 8 : 3;

  /** Longer than JOSDK's default retry budget (5 attempts, about 20 s). */
  static final Duration REGISTRY_OUTAGE = Duration.ofSeconds(LARGE ? 60 : 22);

  private static final String ALL_STATUS =
      "/apis/kapro\\.io/v1alpha2/namespaces/" + DemoFleet.NAMESPACE + "/[^/]+/[^/]+/status";

  @TempDir Path dir;
  private FaultFleet world;

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  private DemoRun.Result promoteAndExpect(RunPhase phase) {
    return promoteAndExpect(phase, t -> {});
  }

  private DemoRun.Result promoteAndExpect(
      RunPhase phase, java.util.function.Consumer<io.kapro.e2e.demo.FleetTable> onChange) {
    DemoRun.Result r = world.promote(onChange);
    assertThat(r.phase()).as(world.transcript()).isEqualTo(phase);
    return r;
  }

  /**
   * The one proxy of {@code holder}, started in front of {@code hostAndPort} on first use. The
   * wiring asks once per agent: every agent must get the same proxy, or a fault injected on the
   * holder's proxy reaches only the last agent (it did: the link-flapping scenario flapped one
   * agent of three, and an earlier replica-failover trial moved one agent of three and waited for
   * the other two in vain).
   */
  private static FaultProxy proxyFor(String hostAndPort, AtomicReference<FaultProxy> holder) {
    int colon = hostAndPort.lastIndexOf(':');
    return holder.updateAndGet(
        p ->
            p != null
                ? p
                : FaultProxy.start(
                    hostAndPort.substring(0, colon),
                    Integer.parseInt(hostAndPort.substring(colon + 1))));
  }

  @Test
  @Timeout(300)
  void registryDownWhileTheHubPublishes() throws Exception {
    AtomicReference<FaultProxy> registry = new AtomicReference<>();
    world =
        FaultFleet.start(
            dir,
            CLUSTERS,
            FleetWiring.direct().withHubRegistry(h -> proxyFor(h, registry).hostAndPort()));
    FaultProxy proxy = registry.get();
    world.closeables.add(proxy);
    proxy.reset();
    long before = proxy.acceptedConnections();
    AtomicReference<String> atLift = new AtomicReference<>();
    Thread lift =
        Thread.ofVirtual()
            .start(
                () -> {
                  sleep(REGISTRY_OUTAGE.toMillis()); // the outage's length is the fault itself
                  atLift.set(
                      world
                          .fleet
                          .currentRun(DemoFleet.PROMOTION)
                          .map(run -> phases(world.fleet.targets(run)))
                          .orElse("no run"));
                  proxy.passThrough();
                });
    DemoRun.Result r;
    try {
      r = promoteAndExpect(RunPhase.Succeeded);
    } finally {
      lift.join();
    }
    long resets = proxy.acceptedConnections() - before;
    assertThat(resets).as("the publisher met the outage").isGreaterThanOrEqualTo(3);
    assertThat(atLift.get())
        .as("while the registry was down nothing got past Publishing")
        .contains("Publishing")
        .doesNotContain("Published", "Applied", "Converged");
    world.say(
        "registry outage of "
            + REGISTRY_OUTAGE.toSeconds()
            + " s: "
            + resets
            + " publisher connections reset; Targets at the end of the outage: "
            + atLift.get());
    world.assertInvariants(world.every(r.run(), TargetPhase.Converged));
    Results.write("registry down during publishing", world, r);
  }

  private static String phases(List<Target> targets) {
    return targets.stream()
        .map(
            t ->
                t.getSpec().getCluster()
                    + "="
                    + (t.getStatus() == null ? null : t.getStatus().getPhase()))
        .sorted()
        .toList()
        .toString();
  }

  @Test
  @Timeout(300)
  void hubKilledInTheMiddleOfARun() {
    world = FaultFleet.start(dir, CLUSTERS, FleetWiring.direct());
    AtomicBoolean restarted = new AtomicBoolean();
    DemoRun.Result r =
        promoteAndExpect(
            RunPhase.Succeeded,
            t -> {
              boolean canaryDone =
                  t.rows().stream().anyMatch(row -> row.phase().startsWith("Converged"));
              if (canaryDone && restarted.compareAndSet(false, true)) {
                world.fleet.restartHub();
              }
            });
    assertThat(restarted).as(world.transcript()).isTrue();
    world.assertInvariants(world.every(r.run(), TargetPhase.Converged));
    Results.write("hub killed in the middle of a run", world, r);
  }

  /**
   * Two hub replicas share the work in two Lease-owned shards (issue 21); the agents are connected
   * to one replica and the Fleet's shard is owned by the other (the demo fleet arranges it: agents
   * and engine on different replicas, as behind a Service). The owner of the Fleet's shard is
   * killed once the canary converged, leaving its Leases to expire: the other replica takes the
   * shard over, the run completes, and the invariants hold.
   */
  @Test
  @Timeout(300)
  void shardOwnerKilledInTheMiddleOfARun() {
    world =
        FaultFleet.start(
            dir, CLUSTERS, FleetWiring.direct().withHubReplicas(2, Duration.ofSeconds(3)));
    List<io.kapro.hub.Hub> hubs = world.fleet.hubReplicas();
    io.kapro.api.v1alpha2.Fleet shopFleet =
        world
            .fleet
            .client()
            .resources(io.kapro.api.v1alpha2.Fleet.class)
            .list()
            .getItems()
            .getFirst();
    int shard = io.kapro.hub.shard.ShardKeys.shardOf(shopFleet, 2);
    int owner = hubs.get(0).shardLeases().orElseThrow().ownedShards().contains(shard) ? 0 : 1;
    int survivor = 1 - owner;
    assertThat(hubs.get(owner).shardLeases().orElseThrow().ownedShards())
        .as(world.transcript())
        .containsExactly(shard);
    world.say("fleet shard " + shard + " is owned by replica " + owner);
    AtomicBoolean killed = new AtomicBoolean();
    DemoRun.Result r =
        promoteAndExpect(
            RunPhase.Succeeded,
            t -> {
              boolean canaryDone =
                  t.rows().stream().anyMatch(row -> row.phase().startsWith("Converged"));
              if (canaryDone && killed.compareAndSet(false, true)) {
                world.fleet.crashHubReplica(owner);
              }
            });
    assertThat(killed).as(world.transcript()).isTrue();
    var leases = hubs.get(survivor).shardLeases().orElseThrow();
    assertThat(leases.ownedShards()).as("the survivor took the shard over").contains(shard);
    assertThat(
            world
                .fleet
                .client()
                .leases()
                .inNamespace(DemoFleet.HUB_NAMESPACE)
                .withName(leases.shardName(shard))
                .get()
                .getSpec()
                .getHolderIdentity())
        .isEqualTo(leases.identity());
    world.say("replica " + survivor + " owns shards " + leases.ownedShards() + " after the kill");
    world.assertInvariants(world.every(r.run(), TargetPhase.Converged));
    Results.write("owner of the fleet's shard killed mid-run (2 replicas)", world, r);
  }

  /**
   * Two hub replicas behind one address (a Service: here a proxy), every agent streaming to the
   * replica that does not own the Fleet's shard. Once the canary converged that replica is killed
   * without a graceful shutdown: its connections are reset, as a killed process's kernel resets
   * them, and the Service sends new connections to the survivor. Every agent must move to the
   * survivor (its liveness Lease changes holder), its outbox must drain and be acknowledged there,
   * the run must finish and the invariants hold. The time to move is recorded, not asserted.
   */
  @Test
  @Timeout(300)
  void agentsReplicaKilledInTheMiddleOfARun() {
    AtomicReference<FaultProxy> service = new AtomicReference<>();
    world =
        FaultFleet.start(
            dir,
            CLUSTERS,
            FleetWiring.direct()
                .withHubReplicas(2, Duration.ofSeconds(3))
                .withAgentHub(port -> proxyFor("127.0.0.1:" + port, service).hostAndPort()));
    FaultProxy proxy = service.get();
    world.closeables.add(proxy);
    List<io.kapro.hub.Hub> hubs = world.fleet.hubReplicas();
    int victim = hubs.get(0).gatewayPort() == proxy.targetPort() ? 0 : 1;
    int survivor = 1 - victim;
    String victimId = hubs.get(victim).shardLeases().orElseThrow().identity();
    String survivorId = hubs.get(survivor).shardLeases().orElseThrow().identity();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(agentLeaseHolders())
                    .as("every agent streams to replica " + victim)
                    .containsOnlyKeys(world.fleet.clusterNames())
                    .allSatisfy((c, holder) -> assertThat(holder).isEqualTo(victimId)));
    world.say("agents stream to replica " + victim + " (" + victimId + ")");
    AtomicLong killedAt = new AtomicLong();
    AtomicBoolean moved = new AtomicBoolean();
    // the moment every agent's Lease names the survivor, from a watch (the figure, not a wait)
    var watch =
        world
            .fleet
            .client()
            .leases()
            .inNamespace(DemoFleet.NAMESPACE)
            .inform(
                new io.fabric8.kubernetes.client.informers.ResourceEventHandler<
                    io.fabric8.kubernetes.api.model.coordination.v1.Lease>() {
                  @Override
                  public void onAdd(io.fabric8.kubernetes.api.model.coordination.v1.Lease l) {
                    check();
                  }

                  @Override
                  public void onUpdate(
                      io.fabric8.kubernetes.api.model.coordination.v1.Lease old,
                      io.fabric8.kubernetes.api.model.coordination.v1.Lease l) {
                    check();
                  }

                  @Override
                  public void onDelete(
                      io.fabric8.kubernetes.api.model.coordination.v1.Lease l, boolean gone) {}

                  private void check() {
                    long k = killedAt.get();
                    if (k == 0) {
                      return;
                    }
                    Map<String, String> holders = agentLeaseHolders();
                    if (holders.size() == CLUSTERS
                        && holders.values().stream().allMatch(survivorId::equals)
                        && moved.compareAndSet(false, true)) {
                      world.say(
                          "all "
                              + CLUSTERS
                              + " agents moved to the survivor "
                              + (System.nanoTime() - k) / 1_000_000
                              + " ms after the kill");
                    }
                  }
                });
    world.closeables.add(watch::close);
    AtomicBoolean killed = new AtomicBoolean();
    DemoRun.Result r =
        promoteAndExpect(
            RunPhase.Succeeded,
            t -> {
              boolean canaryDone =
                  t.rows().stream().anyMatch(row -> row.phase().startsWith("Converged"));
              if (canaryDone && killed.compareAndSet(false, true)) {
                // the endpoint goes from the Service and the process dies: open connections are
                // reset, new ones reach the survivor
                proxy.retarget(hubs.get(survivor).gatewayPort());
                killedAt.set(System.nanoTime());
                proxy.resetOpen();
                world.fleet.crashHubReplica(victim);
              }
            });
    assertThat(killed).as(world.transcript()).isTrue();
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () ->
                assertThat(agentLeaseHolders())
                    .as("every agent moved to the survivor\n" + world.transcript())
                    .containsOnlyKeys(world.fleet.clusterNames())
                    .allSatisfy((c, holder) -> assertThat(holder).isEqualTo(survivorId)));
    world.assertInvariants(world.every(r.run(), TargetPhase.Converged));
    Results.write("replica holding every agent's stream killed mid-run (2 replicas)", world, r);
  }

  /** Holder of each cluster's liveness Lease ({@code kapro-agent-<cluster>}), by cluster. */
  private Map<String, String> agentLeaseHolders() {
    Map<String, String> out = new java.util.TreeMap<>();
    for (var l : world.fleet.client().leases().inNamespace(DemoFleet.NAMESPACE).list().getItems()) {
      String name = l.getMetadata().getName();
      if (name.startsWith(io.kapro.hub.cluster.AgentLeases.PREFIX)
          && l.getSpec().getHolderIdentity() != null) {
        out.put(
            name.substring(io.kapro.hub.cluster.AgentLeases.PREFIX.length()),
            l.getSpec().getHolderIdentity());
      }
    }
    return out;
  }

  @Test
  @Timeout(300)
  void agentKilledInTheMiddleOfAnApply() throws Exception {
    world = FaultFleet.start(dir, CLUSTERS, FleetWiring.direct());
    String victim = world.fleet.clusterNames().get(1); // prod, first wave
    world.fleet.stopAgent(victim);
    Path config = world.fleet.agentStateDir(victim).resolve("agent.yaml");
    Map<String, String> env =
        Map.of("KUBECONFIG", world.fleet.clusterKubeconfig(victim).toString());
    AtomicReference<AgentProcess> agent =
        new AtomicReference<>(AgentProcess.start(config, env, dir.resolve("agent-1.log")));
    AtomicReference<String> killedAt = new AtomicReference<>();
    ResourceDefinitionContext hr =
        new ResourceDefinitionContext.Builder()
            .withGroup(ApiKind.ARGOCD_APPLICATION.group())
            .withVersion(ApiKind.ARGOCD_APPLICATION.version())
            .withKind(ApiKind.ARGOCD_APPLICATION.kind())
            .withPlural(ApiKind.ARGOCD_APPLICATION.plural())
            .withNamespaced(true)
            .build();
    // SIGKILL the agent the moment its first patch of the new version lands (the agent patches the
    // Application first, then the HelmRelease): between its two patches, before it records the
    // bundle as applied; then start it again on the same state directory
    Runnable killAndRestart =
        () -> {
          try {
            agent.get().kill(); // SIGKILL and reap
            agent.set(AgentProcess.start(config, env, dir.resolve("agent-2.log")));
            world.say(victim + ": agent SIGKILLed at " + killedAt.get() + ", restarted");
          } catch (Exception e) {
            world.say(victim + ": restarting the agent failed: " + e);
          }
        };
    try (Watch w =
        world
            .fleet
            .clusterClient(victim)
            .genericKubernetesResources(hr)
            .inNamespace("argocd")
            .withName("api")
            .watch(
                new Watcher<GenericKubernetesResource>() {
                  @Override
                  public void eventReceived(Action action, GenericKubernetesResource res) {
                    Object spec = res.getAdditionalProperties().get("spec");
                    if (String.valueOf(spec).contains("targetRevision=" + DemoFleet.NEW_API)
                        && killedAt.compareAndSet(null, Instant.now().toString())) {
                      agent.get().killNow();
                      Thread.ofVirtual().start(killAndRestart);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      DemoRun.Result r = withAgentLogs(() -> promoteAndExpect(RunPhase.Succeeded));
      assertThat(killedAt.get()).as(world.transcript()).isNotNull();
      assertThat(world.transcript()).contains(victim + ": agent SIGKILLed at");
      agent.get().stop(Duration.ofSeconds(20));
      world.applies.readProcessLog(dir.resolve("agent-1.log"));
      world.applies.readProcessLog(dir.resolve("agent-2.log"));
      assertThat(world.applies.entries())
          .as("the process agents' applies were read from their logs")
          .anyMatch(e -> e.clusterName().equals(victim));
      // in-process again (the recorder reads in-process agents' outbox gauges), once it has
      // delivered what the stopped process left in the outbox
      long left;
      try (var outbox =
          io.kapro.agent.evidence.FileOutbox.open(
              world.fleet.agentStateDir(victim).resolve("outbox"))) {
        left = outbox.lastNumber();
      }
      world.fleet.startAgent(victim);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> world.fleet.cluster(victim).getStatus().getLastEvidenceNumber() >= left);
      History h = world.assertInvariants(world.every(r.run(), TargetPhase.Converged));
      world.say(
          victim
              + " applies: "
              + h.applies().stream().filter(a -> a.cluster().equals(victim)).toList());
      Results.write("agent killed in the middle of an apply", world, r);
    }
  }

  @Test
  @Timeout(300)
  void linkFlappingEveryFewSecondsDuringAPromotion() throws Exception {
    AtomicReference<FaultProxy> link = new AtomicReference<>();
    world =
        FaultFleet.start(
            dir,
            CLUSTERS,
            FleetWiring.direct()
                .withAgentHub(port -> proxyFor("127.0.0.1:" + port, link).hostAndPort()));
    FaultProxy proxy = link.get();
    world.closeables.add(proxy);
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger flaps = new AtomicInteger();
    Thread flapper =
        Thread.ofVirtual()
            .name("link-flapper")
            .start(
                () -> {
                  while (!done.get()) {
                    proxy.reset();
                    flaps.incrementAndGet();
                    sleep(1000);
                    proxy.passThrough();
                    sleep(2000);
                  }
                });
    DemoRun.Result r;
    try {
      r = promoteAndExpect(RunPhase.Succeeded);
    } finally {
      done.set(true);
      flapper.join();
      proxy.passThrough();
    }
    // the first reset comes as the promotion starts (the run can finish within one 2 s up-phase
    // on an idle machine): every agent lost its link and had to come back through the proxy
    assertThat(flaps.get()).as("the link went down during the promotion").isGreaterThanOrEqualTo(1);
    assertThat(proxy.acceptedConnections())
        .as("agents reconnected through the flapping link")
        .isGreaterThan(CLUSTERS);
    world.say(
        "link flapped "
            + flaps.get()
            + " times (1 s down, 2 s up); "
            + proxy.acceptedConnections()
            + " agent connections accepted by the proxy");
    world.assertInvariants(world.every(r.run(), TargetPhase.Converged));
    Results.write("link flapping during a promotion", world, r);
  }

  @Test
  @Timeout(300)
  void conflictsOnAThirdOfTheHubsStatusWrites() {
    world = FaultFleet.start(dir, CLUSTERS, FleetWiring.direct());
    world.fleet.hubApi().conflict(Set.of("PUT", "PATCH"), ALL_STATUS, 0.3, 12);
    DemoRun.Result r;
    try {
      r = promoteAndExpect(RunPhase.Succeeded);
    } finally {
      world.fleet.hubApi().noConflicts();
    }
    long conflicts = world.fleet.hubApi().conflictsAnswered();
    assertThat(conflicts).as("status writes were answered 409").isPositive();
    world.say(conflicts + " status writes answered 409 Conflict");
    world.assertInvariants(world.every(r.run(), TargetPhase.Converged));
    Results.write("409 conflicts on 30% of status writes", world, r);
  }

  @Test
  @Timeout(300)
  void hubClockTwoMinutesAheadIsWithinTheAllowance() {
    world =
        FaultFleet.start(
            dir,
            CLUSTERS,
            FleetWiring.direct()
                .withHubClock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2))));
    DemoRun.Result r = promoteAndExpect(RunPhase.Succeeded);
    world.assertInvariants(world.every(r.run(), TargetPhase.Converged));
    Results.write("hub clock 2 min ahead (bundles issued in the agents' future)", world, r);
  }

  @Test
  @Timeout(300)
  void hubClockSevenMinutesBehindWithFiveMinuteBundlesIsWithinTheAllowance() {
    world =
        FaultFleet.start(
            dir,
            CLUSTERS,
            FleetWiring.direct()
                .withHubClock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-7)))
                .withBundleTtl(Duration.ofMinutes(5)));
    DemoRun.Result r = promoteAndExpect(RunPhase.Succeeded);
    world.assertInvariants(world.every(r.run(), TargetPhase.Converged));
    Results.write(
        "hub clock 7 min behind, bundleTTL 5m (expired 2 min ago by the agents' clock)", world, r);
  }

  @Test
  @Timeout(300)
  void hubClockElevenMinutesBehindWithFiveMinuteBundlesIsBeyondTheAllowance() {
    world =
        FaultFleet.start(
            dir,
            CLUSTERS,
            FleetWiring.direct()
                .withHubClock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-11)))
                .withBundleTtl(Duration.ofMinutes(5)));
    DemoRun.Result r = promoteAndExpect(RunPhase.Halted);
    Target canary =
        world.fleet.targets(r.run()).stream()
            .filter(t -> t.getSpec().getStage().equals("canary"))
            .findFirst()
            .orElseThrow();
    assertThat(canary.getStatus().getMessage()).as(world.transcript()).contains("EXPIRED");
    assertThat(world.fleet.localVersions("canary-eu-1")).isEqualTo("web=1.3.0,api=v1.3.0");
    History h =
        world.assertInvariants(
            List.of(new Expected(r.run(), "canary-eu-1", "canary", TargetPhase.Failed)));
    assertThat(h.applies()).as("nothing was applied anywhere").isEmpty();
    Results.write(
        "hub clock 11 min behind, bundleTTL 5m (expired 6 min ago: beyond the 5 min allowance)",
        world,
        r);
  }

  @Test
  @Timeout(120)
  void hubClockTenMinutesAheadIsBeyondTheAllowanceAndTheAgentsRefuseTheHub() {
    // The hub's certificates are backdated by 5 minutes, as bundles get a 5 minute allowance; a hub
    // clock further ahead makes its server certificate "not yet valid" for the agents, so they
    // refuse to enroll (fail closed) before any bundle is judged.
    assertThatThrownBy(
            () ->
                world =
                    FaultFleet.start(
                        dir,
                        2,
                        FleetWiring.direct()
                            .withHubClock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)))))
        .satisfies(
            e ->
                Results.line(
                    "| hub clock 10 min ahead | 2 | agents refuse to enroll (fail closed) | - | "
                        + causeLine(e.getMessage()).replace("|", "/")
                        + " |"))
        .hasMessageContaining("CertificateNotYetValidException")
        .hasMessageContaining("check that the clocks of hub and agent agree");
  }

  private static String causeLine(String message) {
    int from = Math.max(0, message.indexOf("(cause:"));
    int to = message.indexOf('\n', from);
    return message.substring(from, to < 0 ? message.length() : to);
  }

  private <T> T withAgentLogs(java.util.function.Supplier<T> body) {
    try {
      return body.get();
    } catch (AssertionError e) {
      StringBuilder logs = new StringBuilder(e.getMessage());
      for (String f : List.of("agent-1.log", "agent-2.log")) {
        try {
          Path p = dir.resolve(f);
          logs.append("\n--- ")
              .append(f)
              .append(" ---\n")
              .append(java.nio.file.Files.exists(p) ? java.nio.file.Files.readString(p) : "(none)");
        } catch (java.io.IOException io) {
          logs.append(io);
        }
      }
      throw new AssertionError(logs.toString(), e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis); // the flapper's rhythm, not a test wait
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
