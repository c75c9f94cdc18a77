package io.kapro.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.RejectionReason;
import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.RegistryStore;
import io.kapro.oci.testing.LocalRegistry;
import io.kapro.oci.testing.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollback protection when the agent's own state is lost or unreadable (issue 18, items 1, 2, 8):
 * the real registry, the mock API server (the state Secret, with RBAC-style 403 answers injected),
 * real state files and the real-TLS stand-in hub.
 */
class LostStateIT {
  static final String SECRET_PATH = "/api/v1/namespaces/kapro-system/secrets/kapro-agent-state";
  static LocalRegistry registry;
  @TempDir Path state;
  PullFixture f;
  BundleStore store;

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
    store = new RegistryStore(Registries.config(registry));
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
  }

  HighWaterMarkStore marks(Path dir) {
    return new MirroredHighWaterMarkStore(
        List.of(
            new FileHighWaterMarkStore(dir),
            new SecretHighWaterMarkStore(
                io.kapro.agent.kube.MockKubes.client(f.kube),
                "kapro-system",
                "kapro-agent-state")));
  }

  List<AgentMessage> rejections(RejectionReason reason) {
    return f.hub.evidence.stream()
        .filter(m -> m.hasRejection() && m.getRejection().getReason() == reason)
        .toList();
  }

  @Test
  void anUnreadableStateSecretBlocksEveryBundleUntilItIsReadableAndTheAgentSaysWhy()
      throws Exception {
    String repo = "kapro/team-a/unreadable";
    String older = f.publish(store, repo, PullFixture.payload(1, "6.5.4", "v1.2.0"));
    Path dir = Files.createDirectories(state.resolve("wiped")); // empty state directory
    // the Secret remembers sequence 2, but the first two reads are refused as RBAC would
    new SecretHighWaterMarkStore(
            io.kapro.agent.kube.MockKubes.client(f.kube), "kapro-system", "kapro-agent-state")
        .save(new HighWaterMark(2, "sha256:" + "2".repeat(64)));
    f.kube.failGets(SECRET_PATH, 403, "secrets is forbidden", 2);

    PullLoop loop =
        f.loop(
            store,
            repo,
            dir,
            Duration.ofMillis(200),
            Clock.systemUTC(),
            marks(dir),
            false,
            Clock.systemUTC());
    assertThat(loop.state().unreadable())
        .get()
        .asString()
        .contains("Secret kapro-system/kapro-agent-state");
    assertThat(f.readiness.failing()).contains(PullLoop.STATE_READABLE);
    loop.start();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !rejections(RejectionReason.REJECTION_REASON_STATE_UNAVAILABLE).isEmpty());
    AgentMessage why = rejections(RejectionReason.REJECTION_REASON_STATE_UNAVAILABLE).getFirst();
    assertThat(why.getRejection().getBundleDigest()).isEqualTo(older);
    assertThat(why.getRejection().getDetail())
        .contains("Secret kapro-system/kapro-agent-state")
        .contains("forbidden");
    // the Secret answers again: its mark (2) refuses the older bundle; nothing was ever applied
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !rejections(RejectionReason.REJECTION_REASON_STALE_SEQUENCE).isEmpty());
    assertThat(f.helmVersion()).isEqualTo("6.5.0");
    assertThat(f.readiness.failing()).doesNotContain(PullLoop.STATE_READABLE);
    assertThat(f.metrics.scrape()).contains("kapro_agent_state_unreadable 0.0");

    f.publish(store, repo, PullFixture.payload(3, "6.6.0", "v2.0.0"));
    await().atMost(Duration.ofSeconds(30)).until(() -> f.hubSawConverged(3));
    assertThat(loop.state().mark().sequence()).isEqualTo(3);
  }

  @Test
  void aFreshAgentAppliesNothingBeforeTheHubsFloorAndNothingBelowIt() throws Exception {
    String repo = "kapro/team-a/floor";
    f.publish(store, repo, PullFixture.payload(1, "6.5.4", "v1.2.0")); // an older, replayed bundle
    f.hub.minBundleSequence = 2; // the hub knows this cluster applied sequence 2
    f.hub.lastEvidenceNumber = 57; // and holds its evidence up to 57
    Path dir = Files.createDirectories(state.resolve("fresh")); // Secret deleted, directory wiped

    PullLoop loop =
        f.loop(
            store,
            repo,
            dir,
            Duration.ofMillis(200),
            Clock.systemUTC(),
            marks(dir),
            true,
            Clock.systemUTC());
    loop.start();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !rejections(RejectionReason.REJECTION_REASON_STALE_SEQUENCE).isEmpty());
    assertThat(loop.state().floor()).isEqualTo(2);
    assertThat(f.helmVersion()).isEqualTo("6.5.0");
    // evidence after the wipe continues above what the hub holds, so it is not taken for a replay
    assertThat(
            rejections(RejectionReason.REJECTION_REASON_STALE_SEQUENCE)
                .getFirst()
                .getRejection()
                .getNumber())
        .isGreaterThan(57);
    assertThat(f.outbox.lastNumber()).isGreaterThan(57);

    // the bundle at the floor is the one the cluster ran: it may be applied again
    f.publish(store, repo, PullFixture.payload(2, "6.5.5", "v1.3.0"));
    await().atMost(Duration.ofSeconds(30)).until(() -> f.hubSawConverged(2));
    assertThat(f.helmVersion()).isEqualTo("6.5.5");
    assertThat(marks(dir).load()).get().extracting(HighWaterMark::sequence).isEqualTo(2L);
  }

  @Test
  void evidenceAfterAWipeIsNumberedAboveTheHubsNumberTheSignedBundleCarries() throws Exception {
    String repo = "kapro/team-a/carried";
    // the hub held this cluster's evidence up to 75 when it signed; no hello tells it (air gap)
    f.publish(store, repo, PullFixture.payload(1, "6.5.5", "v1.3.0").withMinEvidenceNumber(75));
    Path dir = Files.createDirectories(state.resolve("wiped"));
    PullLoop loop = f.loop(store, repo, dir, Duration.ofMillis(200), Clock.systemUTC());
    loop.onEvidenceFloor(f.outbox::continueAbove); // as Agent wires it
    loop.start();

    await().atMost(Duration.ofSeconds(30)).until(() -> f.hubSawConverged(1));
    assertThat(f.evidenceFor(1))
        .isNotEmpty()
        .allSatisfy(m -> assertThat(m.getEvidence().getNumber()).isGreaterThan(75));
    assertThat(f.outbox.lastNumber()).isGreaterThan(75);
  }

  @Test
  void anAppliedBundleThatExpiresWithoutANewerOneIsReportedOnceAndStaysApplied() throws Exception {
    String repo = "kapro/team-a/frozen";
    Instant now = Instant.now();
    BundlePayload frozen =
        new BundlePayload(
            BundlePayload.SCHEMA_VERSION,
            PullFixture.CLUSTER.name(),
            PullFixture.CLUSTER.namespace(),
            "fleet-a",
            "promo-1-run-1",
            1,
            now.minus(Duration.ofHours(1)),
            now.plus(Duration.ofMinutes(1)),
            List.of(PullFixture.helmUnit("6.5.4"), PullFixture.argoUnit("v1.2.0")),
            false);
    String digest = f.publish(store, repo, frozen);
    Path dir = Files.createDirectories(state.resolve("frozen"));
    AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);
    Clock loopClock =
        new Clock() {
          @Override
          public Instant instant() {
            return Instant.now().plus(ahead.get());
          }

          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }
        };
    PullLoop loop =
        f.loop(
            store,
            repo,
            dir,
            Duration.ofMillis(100),
            Clock.systemUTC(),
            new FileHighWaterMarkStore(dir),
            false,
            loopClock);
    loop.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> f.hubSawConverged(1));
    assertThat(f.readiness.failing()).doesNotContain(PullLoop.APPLIED_CURRENT);

    // ten minutes on, the channel still serves only this bundle (a freeze): beyond expiry + skew
    ahead.set(Duration.ofMinutes(10));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> !rejections(RejectionReason.REJECTION_REASON_APPLIED_BUNDLE_EXPIRED).isEmpty());
    AgentMessage report =
        rejections(RejectionReason.REJECTION_REASON_APPLIED_BUNDLE_EXPIRED).getFirst();
    assertThat(report.getRejection().getBundleDigest()).isEqualTo(digest);
    assertThat(report.getRejection().getBundleSequence()).isEqualTo(1);
    assertThat(report.getRejection().getDetail()).contains("expired at").contains("frozen");
    assertThat(f.readiness.failing()).contains(PullLoop.APPLIED_CURRENT);
    assertThat(f.metrics.scrape()).contains("kapro_agent_applied_expired 1.0");
    assertThat(f.helmVersion()).isEqualTo("6.5.4");
    // polls go on (the digest is unchanged); the report is not repeated
    await()
        .during(Duration.ofMillis(600))
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> rejections(RejectionReason.REJECTION_REASON_APPLIED_BUNDLE_EXPIRED).size() == 1);

    // after a restart the record still knows the expiry
    assertThat(new AppliedBundleFile(dir).load())
        .get()
        .extracting(AppliedBundle::expiresAt)
        .isEqualTo(frozen.expiresAt());
    // a newer bundle clears it
    f.publish(store, repo, PullFixture.payload(2, "6.6.0", "v2.0.0"));
    await().atMost(Duration.ofSeconds(30)).until(() -> f.hubSawConverged(2));
    assertThat(f.readiness.failing()).doesNotContain(PullLoop.APPLIED_CURRENT);
    assertThat(f.metrics.scrape()).contains("kapro_agent_applied_expired 0.0");
  }
}
