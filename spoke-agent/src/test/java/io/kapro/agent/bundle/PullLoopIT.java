package io.kapro.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kapro.agent.testing.TcpProxy;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.RejectionReason;
import io.kapro.agent.v1.UnitPhase;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.FieldSet;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.OciLayoutStore;
import io.kapro.oci.store.RegistryConfig;
import io.kapro.oci.store.RegistryStore;
import io.kapro.oci.testing.AttackCorpus;
import io.kapro.oci.testing.AttackCorpus.Attack;
import io.kapro.oci.testing.LocalRegistry;
import io.kapro.oci.testing.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pull loop end to end inside one JVM: the real registry (behind a cuttable loopback proxy),
 * the mock API server with fake Flux and Argo CD controllers, and a real-TLS stand-in hub.
 */
class PullLoopIT {
  static LocalRegistry registry;
  @TempDir Path state;
  PullFixture f;
  TcpProxy proxy;
  BundleStore publisher;
  BundleStore agentView;

  @BeforeAll
  static void startRegistry() {
    registry = LocalRegistry.startPlain();
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    f = new PullFixture(state);
    f.awaitBaseline();
    proxy = new TcpProxy(registry.port());
    publisher = new RegistryStore(Registries.config(registry));
    agentView = new RegistryStore(RegistryConfig.plainHttp("127.0.0.1:" + proxy.port()));
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
    proxy.close();
  }

  String repo(String name) {
    return "kapro/team-a/" + name;
  }

  @Test
  void aPublishedBundleDrivesBothBackendsToConvergedAndTheHubHearsEachPhase() throws Exception {
    String repo = repo("converge");
    String digest = f.publish(publisher, repo, PullFixture.payload(1, "6.5.4", "v1.2.0"));
    PullLoop loop =
        f.loop(
            agentView,
            repo,
            Files.createDirectories(state.resolve("p")),
            Duration.ofMillis(200),
            java.time.Clock.systemUTC());
    loop.start();

    await().atMost(Duration.ofSeconds(30)).until(() -> f.hubSawConverged(1));
    assertThat(f.helmVersion()).isEqualTo("6.5.4");
    assertThat(f.argoRevision()).isEqualTo("v1.2.0");
    List<AgentMessage> evidence = f.evidenceFor(1);
    assertThat(evidence.getFirst().getEvidence().getUnitsList())
        .allMatch(u -> u.getPhase() == UnitPhase.UNIT_PHASE_APPLIED);
    assertThat(evidence).allMatch(m -> m.getEvidence().getBundleDigest().equals(digest));
    AgentMessage last = evidence.getLast();
    assertThat(last.getEvidence().getUnitsList())
        .extracting(u -> u.getUnit() + "=" + u.getDesiredVersion())
        .containsExactly("podinfo=6.5.4", "guestbook=v1.2.0");
    assertThat(loop.state().mark()).isEqualTo(new HighWaterMark(1, digest));
    assertThat(new FileHighWaterMarkStore(state.resolve("p")).load())
        .contains(new HighWaterMark(1, digest));
    assertThat(f.readiness.ready()).isFalse(); // config not marked loaded in this fixture
    assertThat(f.readiness.failing()).containsExactly("config-loaded");

    // Unchanged and converged: further polls change nothing and report nothing.
    int reported = f.hub.evidence.size();
    await()
        .during(Duration.ofMillis(800))
        .atMost(Duration.ofSeconds(3))
        .until(() -> f.hub.evidence.size() == reported);
    assertThat(f.metrics.scrape()).contains("kapro_agent_pulls_total{result=\"unchanged\"}");
  }

  @Test
  void aSuspendedHelmReleaseReachesTheHubAsSuspendedAndNeverAsConverged() throws Exception {
    f.suspend(PullFixture.HR, true);
    String repo = repo("suspended");
    f.publish(publisher, repo, PullFixture.payload(1, "6.5.6", "v1.2.0"));
    PullLoop loop =
        f.loop(
            agentView,
            repo,
            Files.createDirectories(state.resolve("p")),
            Duration.ofMillis(200),
            java.time.Clock.systemUTC());
    loop.start();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                podinfo(1).stream()
                    .anyMatch(
                        u ->
                            u.getPhase() == UnitPhase.UNIT_PHASE_DEGRADED
                                && u.getMessage().contains("suspended")));
    await()
        .during(Duration.ofMillis(600))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                podinfo(1).stream().noneMatch(u -> u.getPhase() == UnitPhase.UNIT_PHASE_CONVERGED));

    f.suspend(PullFixture.HR, false);
    await().atMost(Duration.ofSeconds(30)).until(() -> f.hubSawConverged(1));
    assertThat(f.helmVersion()).isEqualTo("6.5.6");
  }

  /** What the hub heard about the HelmRelease unit of bundle {@code sequence}. */
  List<io.kapro.agent.v1.UnitEvidence> podinfo(long sequence) {
    return f.evidenceFor(sequence).stream()
        .flatMap(m -> m.getEvidence().getUnitsList().stream())
        .filter(u -> u.getUnit().equals("podinfo"))
        .toList();
  }

  @Test
  void aNudgePullsAtOnceWithoutWaitingForThePoll() throws Exception {
    String repo = repo("nudge");
    PullLoop loop =
        f.loop(
            agentView,
            repo,
            Files.createDirectories(state.resolve("p")),
            Duration.ofHours(1),
            java.time.Clock.systemUTC());
    loop.start();
    await().until(() -> loop.firstPollAt().isPresent() && f.client.connected());
    String digest = f.publish(publisher, repo, PullFixture.payload(1, "6.5.5", "v1.3.0"));
    f.hub.nudge(1, digest);
    await().atMost(Duration.ofSeconds(30)).until(() -> f.hubSawConverged(1));
    assertThat(f.helmVersion()).isEqualTo("6.5.5");
  }

  @Test
  void everyAttackOfTheCorpusIsRefusedThroughTheRegistryAndReachesTheHub() throws Exception {
    AttackCorpus corpus = new AttackCorpus(f.hubKey, "kapro/attacks");
    List<Attack> attacks = corpus.writeInto(publisher);
    Map<?, String> before = f.snapshot();
    int i = 0;
    for (Attack a : attacks) {
      BundleStore view = a.view() == publisher ? agentView : a.view();
      Path dir = Files.createDirectories(state.resolve("attack-" + i++));
      new FileHighWaterMarkStore(dir)
          .save(new HighWaterMark(corpus.highWaterMark(), "sha256:" + "0".repeat(64)));
      PullLoop loop = f.loop(view, a.repository(), dir, Duration.ofHours(1), corpus.clock());
      assertThat(loop.pollOnce()).as(a.name()).isEqualTo(PullLoop.Outcome.REJECTED);
      RejectionReason expected = Rejections.reason(a.expected());
      await()
          .alias(a.name())
          .until(
              () ->
                  f.hub.evidence.stream()
                      .anyMatch(
                          m ->
                              m.hasRejection()
                                  && m.getRejection().getReason() == expected
                                  && m.getRejection().getDetail().contains(a.repository())));
      assertThat(loop.pollOnce()).as(a.name() + " again").isEqualTo(PullLoop.Outcome.UNCHANGED);
    }
    assertThat(f.snapshot()).isEqualTo(before);
    assertThat(f.rejections()).hasSize(attacks.size());
    assertThat(f.metrics.scrape())
        .contains("kapro_agent_verification_failures_total{reason=\"UNSIGNED\"}");
  }

  @Test
  void aBundleSettingAFieldOutsideTheAllowListIsRefusedWhole() throws Exception {
    String repo = repo("not-allowed");
    BundleUnit evil =
        new BundleUnit(
            "guestbook",
            "ArgoCD",
            PullFixture.APP,
            "v9",
            "",
            List.of(
                new FieldSet("spec.source.targetRevision", "v9"),
                new FieldSet("spec.source.repoURL", "https://evil.example/repo.git")));
    String digest =
        f.publish(
            publisher, repo, PullFixture.payload(1, List.of(PullFixture.helmUnit("9.9.9"), evil)));
    Map<?, String> before = f.snapshot();
    PullLoop loop =
        f.loop(
            agentView,
            repo,
            Files.createDirectories(state.resolve("p")),
            Duration.ofHours(1),
            java.time.Clock.systemUTC());
    assertThat(loop.pollOnce()).isEqualTo(PullLoop.Outcome.REJECTED);
    await().until(() -> f.rejections().contains(RejectionReason.REJECTION_REASON_NOT_ALLOWED));
    AgentMessage rejection =
        f.hub.evidence.stream().filter(AgentMessage::hasRejection).findFirst().orElseThrow();
    assertThat(rejection.getRejection().getBundleDigest()).isEqualTo(digest);
    assertThat(rejection.getRejection().getDetail()).contains("spec.source.repoURL");
    assertThat(f.snapshot()).isEqualTo(before);
    assertThat(f.helmVersion()).isEqualTo("6.5.0");
    assertThat(loop.state().mark()).isEqualTo(HighWaterMark.NONE);
  }

  @Test
  void anUnreachableRegistryKeepsWhatIsAppliedAndTheLoopRecoversWhenItReturns() throws Exception {
    String repo = repo("outage");
    f.publish(publisher, repo, PullFixture.payload(1, "6.5.4", "v1.2.0"));
    PullLoop loop =
        f.loop(
            agentView,
            repo,
            Files.createDirectories(state.resolve("p")),
            Duration.ofMillis(200),
            java.time.Clock.systemUTC());
    loop.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> f.hubSawConverged(1));
    assertThat(f.readiness.failing()).doesNotContain(PullLoop.SOURCE_HEALTHY);

    proxy.pause();
    await().until(() -> f.readiness.failing().contains(PullLoop.SOURCE_HEALTHY));
    String digest2 = f.publish(publisher, repo, PullFixture.payload(2, "6.6.0", "v2.0.0"));
    await()
        .until(
            () ->
                f.metrics
                    .scrape()
                    .matches("(?s).*kapro_agent_pulls_total\\{result=\"error\"} [1-9].*"));
    assertThat(f.helmVersion()).isEqualTo("6.5.4");
    assertThat(f.argoRevision()).isEqualTo("v1.2.0");
    assertThat(loop.state().mark().sequence()).isEqualTo(1);

    proxy.resume();
    await().atMost(Duration.ofSeconds(30)).until(() -> f.hubSawConverged(2));
    assertThat(f.helmVersion()).isEqualTo("6.6.0");
    assertThat(loop.state().mark()).isEqualTo(new HighWaterMark(2, digest2));
    assertThat(f.readiness.failing()).doesNotContain(PullLoop.SOURCE_HEALTHY);
  }

  @Test
  void anOciLayoutDirectoryWorksAsTheBundleSource() throws Exception {
    Path layout = Files.createDirectories(state.resolve("usb"));
    BundleSources.Opened opened =
        BundleSources.open(
            new io.kapro.agent.config.BundleSource.Layout(layout),
            new io.kapro.oci.verify.ClusterIdentity("team-a", "edge-1"));
    assertThat(opened.repository()).isEqualTo(PullFixture.REPO);
    try (OciLayoutStore writer = OciLayoutStore.directory(layout)) {
      f.publish(writer, PullFixture.REPO, PullFixture.payload(1, "6.5.7", "v1.7.0"));
    }
    PullLoop loop = f.loop(opened.store(), Duration.ofMillis(200));
    loop.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> f.hubSawConverged(1));
    assertThat(f.argoRevision()).isEqualTo("v1.7.0");
    // The cluster's own layout directory works too.
    assertThat(
            BundleSources.open(
                    new io.kapro.agent.config.BundleSource.Layout(layout.resolve(PullFixture.REPO)),
                    new io.kapro.oci.verify.ClusterIdentity("team-a", "edge-1"))
                .store()
                .resolve("edge-1", "desired"))
        .isPresent();
  }
}
