package io.kapro.e2e.bench;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kapro.api.Kapro;
import io.kapro.api.testing.ApiRequestCounts;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.TargetSpec;
import io.kapro.api.v1alpha2.TargetStatus;
import io.kapro.api.v1alpha2.UnitVersion;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.MediaTypes;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.testing.BarePush;
import io.kapro.oci.verify.BundleVerifier;
import io.kapro.oci.verify.VerifiedBundle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmarks 1 and 3 on one hub with {@code n} Clusters and {@code n} connected simulated agents:
 *
 * <ol>
 *   <li>publish fan-out: a Promotion to all clusters until every Target carries its pushed bundle,
 *       then the same bytes pushed by a bare HTTP client at the same concurrency (the reconcile
 *       thread count of the hub's operator, {@value #HUB_RECONCILE_THREADS});
 *   <li>propagation: from a Target becoming eligible (phase Publishing) to the agent having patched
 *       its HelmRelease — for the whole fleet at once (the fan-out above), for Targets made
 *       eligible one by one with nudges, and for agents that ignore nudges and poll.
 * </ol>
 */
final class FleetRun {
  private static final Logger LOG = LoggerFactory.getLogger(FleetRun.class);

  /**
   * JOSDK's default reconcile pool ({@code ConfigurationService.concurrentReconciliationThreads}).
   */
  static final int HUB_RECONCILE_THREADS = 50;

  record Sizes(
      int clusters, int paced, double pacedPerSecond, int polled, Duration poll, Duration ingest) {}

  static Map<String, Object> run(Sizes s) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    long setup0 = System.nanoTime();
    try (HubWorld world = new HubWorld(s.clusters());
        AgentFleet fleet = new AgentFleet(world, s.clusters())) {
      fleet.connect(world.hub.gatewayPort());
      out.put("setupSeconds", Stats.round((System.nanoTime() - setup0) / 1e9));
      Map<String, Long> eligibleAt = new ConcurrentHashMap<>();
      Map<String, Target> published = new ConcurrentHashMap<>();
      Map<String, Long> publishedAt = new ConcurrentHashMap<>();
      SharedIndexInformer<Target> informer =
          world
              .client
              .resources(Target.class)
              .inNamespace(HubWorld.NS)
              .inform(
                  new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Target t) {
                      seen(t);
                    }

                    @Override
                    public void onUpdate(Target o, Target t) {
                      seen(t);
                    }

                    @Override
                    public void onDelete(Target t, boolean gone) {}

                    private void seen(Target t) {
                      TargetStatus st = t.getStatus();
                      if (st == null || t.getSpec() == null) {
                        return;
                      }
                      String key = t.getSpec().getCluster() + "/" + t.getSpec().getRun();
                      if (st.getPhase() == TargetPhase.Publishing) {
                        eligibleAt.putIfAbsent(key, System.nanoTime());
                      }
                      if (st.getBundle() != null && st.getBundle().getSequence() != null) {
                        published.putIfAbsent(key, t);
                        publishedAt.putIfAbsent(key, System.nanoTime());
                      }
                    }
                  });
      try {
        out.put("fanOut", fanOut(world, fleet, eligibleAt, published, s));
        out.put(
            "pacedNudged",
            paced(world, fleet, published, publishedAt, s, 0, s.paced(), false, s.poll()));
        out.put(
            "polled",
            paced(world, fleet, published, publishedAt, s, s.paced(), s.polled(), true, s.poll()));
        out.put("liveIdle", liveIdle(world, fleet, s.ingest()));
        out.put("ingestion", ingestion(world, fleet, s.ingest()));
      } finally {
        informer.close();
      }
    }
    return out;
  }

  private static Map<String, Object> fanOut(
      HubWorld world,
      AgentFleet fleet,
      Map<String, Long> eligibleAt,
      Map<String, Target> published,
      Sizes s)
      throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    int n = s.clusters();
    int requests0 = world.api.requestCount();
    Map<String, Long> byVerb0 = world.api.requests().snapshot();
    long t0 = System.nanoTime();
    world.create(
        Promotion.class,
        """
        apiVersion: kapro.io/v1alpha2
        kind: Promotion
        metadata: {name: fanout}
        spec: {fleet: %s, plan: %s, units: [{name: web, version: 2.0.0}]}
        """
            .formatted(HubWorld.FLEET, HubWorld.PLAN));
    await()
        .atMost(Duration.ofMinutes(15))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> published.size() >= n);
    long hubNanos = System.nanoTime() - t0;
    int requests = world.api.requestCount() - requests0;
    Map<String, Long> byVerb = ApiRequestCounts.delta(byVerb0, world.api.requests().snapshot());
    String run = published.values().iterator().next().getSpec().getRun();
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> fleet.agents.stream().allMatch(a -> a.appliedSequence() >= 1));
    List<Long> burst = new ArrayList<>();
    for (SimAgent a : fleet.agents) {
      Target t = published.get(a.cluster + "/" + run);
      Long e = eligibleAt.get(a.cluster + "/" + run);
      Long p = a.patchedAt(t.getStatus().getBundle().getSequence());
      if (e != null && p != null) {
        burst.add(p - e);
      }
    }
    // the baseline: the same bundles (read back and verified), pushed again by a bare client
    List<SignedBundle> same = sameBytes(world, fleet, published, run);
    long bare0 = System.nanoTime();
    barePush(world, same, HUB_RECONCILE_THREADS);
    long bareNanos = System.nanoTime() - bare0;
    out.put("apiRequestsDuringFanOut", requests);
    out.put("apiRequestsPerBundle", Stats.round((double) requests / n));
    out.put("apiWritesPerBundle", Stats.round((double) ApiRequestCounts.writes(byVerb) / n));
    out.put("apiRequestsByVerbAndResource", byVerb);
    out.put("apiGetAtThisSize", apiGet(world));
    double hubRate = n / (hubNanos / 1e9);
    double bareRate = n / (bareNanos / 1e9);
    out.put("bundles", n);
    out.put("concurrency", HUB_RECONCILE_THREADS);
    out.put("hubSeconds", Stats.round(hubNanos / 1e9));
    out.put("hubBundlesPerSecond", Stats.round(hubRate));
    out.put("bareSeconds", Stats.round(bareNanos / 1e9));
    out.put("bareBundlesPerSecond", Stats.round(bareRate));
    out.put("ratioHubToBare", Math.round(hubRate / bareRate * 100) / 100.0);
    out.put("burstPropagation", Stats.ofNanos(burst).toMap());
    LOG.info("fan-out: {}", out);
    return out;
  }

  /**
   * Context for the hub's figures: 50 sequential GETs of one Cluster on the local API server
   * (indexed since issue 21, so its cost no longer grows with the fleet; see LocalApiBench).
   */
  static Map<String, Object> apiGet(HubWorld world) {
    List<Long> lat = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      long t = System.nanoTime();
      world
          .client
          .resources(io.kapro.api.v1alpha2.Cluster.class)
          .inNamespace(HubWorld.NS)
          .withName(world.clusters.get(i % world.clusters.size()))
          .get();
      lat.add(System.nanoTime() - t);
    }
    return Stats.ofNanos(lat).toMap();
  }

  private static List<SignedBundle> sameBytes(
      HubWorld world, AgentFleet fleet, Map<String, Target> published, String run) {
    BundleVerifier reader =
        BundleVerifier.forTransfer(TrustedKeys.of(world.key.publicKey())).build();
    List<SignedBundle> out = new ArrayList<>();
    for (String c : world.clusters) {
      Target t = published.get(c + "/" + run);
      VerifiedBundle v =
          reader.verify(
              fleet.store,
              BundleRepository.of("kapro", HubWorld.NS, c),
              t.getStatus().getBundle().getDigest(),
              0);
      // same payload, same key; only the repository differs ("bare0" has as many letters)
      out.add(SignedBundle.sign(v.payload(), world.key, world.registry.host() + "/" + bareRepo(c)));
    }
    return out;
  }

  private static String bareRepo(String cluster) {
    return BundleRepository.of("kapro", "bare0", cluster);
  }

  static void barePush(HubWorld world, List<SignedBundle> bundles, int concurrency)
      throws Exception {
    BarePush bare = new BarePush(world.registry.host());
    Semaphore permits = new Semaphore(concurrency);
    try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> fs = new ArrayList<>();
      for (SignedBundle b : bundles) {
        fs.add(
            exec.submit(
                () -> {
                  permits.acquire();
                  try {
                    barePut(bare, bareRepo(b.payload().cluster()), b);
                  } finally {
                    permits.release();
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
  }

  /**
   * Makes {@code count} Targets eligible one after the other (agents {@code from…from+count}),
   * {@code pacedPerSecond} a second, as the engine does (a Target in phase Publishing), and times
   * each until its agent patched the new sequence. With {@code polling}, the agents ignore nudges
   * and poll every {@code poll} from a random phase.
   */
  private static Map<String, Object> paced(
      HubWorld world,
      AgentFleet fleet,
      Map<String, Target> published,
      Map<String, Long> publishedAt,
      Sizes s,
      int from,
      int count,
      boolean polling,
      Duration poll)
      throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    String run = polling ? "polled" : "paced";
    List<SimAgent> agents = fleet.agents.subList(from, Math.min(fleet.agents.size(), from + count));
    ScheduledExecutorService pollers = Executors.newScheduledThreadPool(2);
    try {
      if (polling) {
        for (SimAgent a : agents) {
          a.ignoreNudges(true);
          pollers.scheduleAtFixedRate(
              a::poll,
              ThreadLocalRandom.current().nextLong(poll.toMillis()),
              poll.toMillis(),
              TimeUnit.MILLISECONDS);
        }
      }
      Map<String, Long> eligible = new HashMap<>();
      long gap = (long) (1e9 / s.pacedPerSecond());
      long next = System.nanoTime();
      for (SimAgent a : agents) {
        while (System.nanoTime() < next) {
          TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime())); // pacing, not waiting
        }
        next += gap;
        eligible.put(a.cluster, System.nanoTime());
        makeEligible(world, a.cluster, run);
      }
      await()
          .atMost(Duration.ofMinutes(5).plus(poll))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () ->
                  agents.stream()
                      .allMatch(
                          a -> {
                            Target t = published.get(a.cluster + "/" + run);
                            return t != null
                                && a.patchedAt(t.getStatus().getBundle().getSequence()) != null;
                          }));
      List<Long> lat = new ArrayList<>();
      List<Long> hub = new ArrayList<>();
      List<Long> agent = new ArrayList<>();
      for (SimAgent a : agents) {
        String key = a.cluster + "/" + run;
        long seq = published.get(key).getStatus().getBundle().getSequence();
        lat.add(a.patchedAt(seq) - eligible.get(a.cluster));
        hub.add(publishedAt.get(key) - eligible.get(a.cluster));
        agent.add(a.patchedAt(seq) - publishedAt.get(key));
      }
      out.put("targets", agents.size());
      out.put("connectedAgents", fleet.agents.size());
      out.put("eligiblePerSecond", s.pacedPerSecond());
      if (polling) {
        out.put("pollSeconds", poll.toSeconds());
      }
      out.put("propagation", Stats.ofNanos(lat).toMap());
      out.put("eligibleToPublished", Stats.ofNanos(hub).toMap());
      out.put("publishedToPatched", Stats.ofNanos(agent).toMap());
      LOG.info("{}: {}", run, out);
      return out;
    } finally {
      pollers.shutdownNow();
    }
  }

  /**
   * The live hub with every agent connected and heartbeating (every 15 s here) and nothing else
   * happening, for {@code d}: the API requests it makes, by verb and resource. A window shorter
   * than the Lease renewal interval shows few or none of the coarse liveness writes; the hourly
   * figure is {@link IdleHour}'s.
   */
  private static Map<String, Object> liveIdle(HubWorld world, AgentFleet fleet, Duration d)
      throws InterruptedException {
    Map<String, Long> before = world.api.requests().snapshot();
    long t0 = System.nanoTime();
    TimeUnit.NANOSECONDS.sleep(d.toNanos()); // an idle window, not a wait for a condition
    double seconds = (System.nanoTime() - t0) / 1e9;
    Map<String, Long> during = ApiRequestCounts.delta(before, world.api.requests().snapshot());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("connectedAgents", fleet.agents.size());
    out.put("seconds", Stats.round(seconds));
    out.put("apiWrites", ApiRequestCounts.writes(during));
    out.put("apiRequestsByVerbAndResource", during);
    return out;
  }

  /**
   * Benchmark 2 on the same fleet: the agents' streams to the real gateway (evidence stored in
   * Target and Cluster status before the ack), then the same agents against {@link EchoGateway}.
   */
  private static Map<String, Object> ingestion(HubWorld world, AgentFleet fleet, Duration d)
      throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    Ingestion.measure(fleet.agents, Duration.ofSeconds(1)); // warm-up, discarded
    int requests0 = world.api.requestCount();
    Map<String, Long> byVerb0 = world.api.requests().snapshot();
    Map<String, Object> hub = Ingestion.measure(fleet.agents, d);
    int requests = world.api.requestCount() - requests0;
    Map<String, Long> byVerb = ApiRequestCounts.delta(byVerb0, world.api.requests().snapshot());
    long acked = Math.max(1, ((Number) hub.get("acked")).longValue());
    hub.put("apiRequests", requests);
    hub.put("apiRequestsPerAckedMessage", Stats.round((double) requests / acked));
    hub.put(
        "apiWritesPerAckedMessage", Stats.round((double) ApiRequestCounts.writes(byVerb) / acked));
    hub.put("apiRequestsByVerbAndResource", byVerb);
    fleet.disconnect();
    try (EchoGateway echo = new EchoGateway(world.ca())) {
      fleet.connect(echo.port());
      Ingestion.measure(fleet.agents, Duration.ofSeconds(1)); // warm-up (TLS handshakes)
      Map<String, Object> bare = Ingestion.measure(fleet.agents, d);
      fleet.disconnect();
      out.put("hub", hub);
      out.put("bareEcho", bare);
      out.put(
          "ratioHubToEcho",
          Math.round(
                  ((Number) hub.get("perSecond")).doubleValue()
                      / ((Number) bare.get("perSecond")).doubleValue()
                      * 100)
              / 100.0);
    }
    LOG.info("ingestion: {}", out);
    return out;
  }

  /** Creates the Target the engine would write: labels, spec, then phase Publishing. */
  static void makeEligible(HubWorld world, String cluster, String run) {
    Target t = new Target();
    t.getMetadata().setName(run + "-" + cluster);
    t.getMetadata()
        .setLabels(
            Map.of(
                Kapro.Labels.FLEET,
                HubWorld.FLEET,
                Kapro.Labels.CLUSTER,
                cluster,
                Kapro.Labels.STAGE,
                "all",
                Kapro.Labels.PROMOTION_RUN,
                run,
                Kapro.Labels.PHASE,
                "Publishing"));
    TargetSpec spec = new TargetSpec();
    spec.setRun(run);
    spec.setCluster(cluster);
    spec.setStage("all");
    UnitVersion u = new UnitVersion();
    u.setName("web");
    u.setVersion(run.equals("paced") ? "3.0.0" : "4.0.0");
    spec.setUnits(List.of(u));
    t.setSpec(spec);
    world.client.resource(t).inNamespace(HubWorld.NS).create();
    world
        .client
        .resources(Target.class)
        .inNamespace(HubWorld.NS)
        .withName(t.getMetadata().getName())
        .editStatus(
            cur -> {
              TargetStatus st = new TargetStatus();
              st.setPhase(TargetPhase.Publishing);
              cur.setStatus(st);
              return cur;
            });
  }

  /**
   * The bytes {@code BundleStore.put} writes, in its order, with nothing but HTTP (the baseline).
   */
  static void barePut(BarePush bare, String repo, SignedBundle b) throws Exception {
    bare.blob(repo, MediaTypes.EMPTY_CONFIG);
    bare.blob(repo, b.bundle().layer());
    bare.manifest(repo, b.digest(), b.bundle().manifest());
    bare.blob(repo, b.signature().config());
    bare.blob(repo, b.signature().payload());
    bare.manifest(repo, BundleRepository.signatureTag(b.digest()), b.signature().manifest());
    bare.manifest(repo, b.bundle().sequenceTag(), b.bundle().manifest());
    bare.manifest(repo, BundleRepository.DESIRED_TAG, b.bundle().manifest());
  }
}
