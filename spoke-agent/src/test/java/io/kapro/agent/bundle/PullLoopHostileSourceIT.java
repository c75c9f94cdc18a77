package io.kapro.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kapro.agent.config.HealthConfig;
import io.kapro.agent.health.HealthServer;
import io.kapro.agent.health.Liveness;
import io.kapro.agent.v1.RejectionReason;
import io.kapro.oci.OciException;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.RegistryConfig;
import io.kapro.oci.store.RegistryStore;
import io.kapro.oci.testing.ForwardingStore;
import io.kapro.oci.testing.HostileRegistry;
import io.kapro.oci.testing.LocalRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 items 5 and 6 on the agent side: a registry that streams without end or stalls, a source
 * that throws anything, a poll that hangs, a mirror that strips the signature. The loop survives
 * each, its liveness says when it is stuck, and it converges once the source behaves.
 */
class PullLoopHostileSourceIT {
  static LocalRegistry registry;
  @TempDir Path state;
  PullFixture f;
  BundleStore publisher;

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
    publisher = new RegistryStore(io.kapro.oci.testing.Registries.config(registry));
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
  }

  PullLoop loop(BundleStore store, String repo, Duration every) throws Exception {
    return f.loop(
        store, repo, Files.createDirectories(state.resolve("p")), every, Clock.systemUTC());
  }

  @Test
  void anEndlessOrStalledRegistryCostsFailedPollsAndTheLoopConvergesOnceItBehaves()
      throws Exception {
    String repo = "kapro/team-a/hostile";
    f.publish(publisher, repo, PullFixture.payload(1, "6.5.4", "v1.2.0"));
    try (HostileRegistry hostile = HostileRegistry.start(registry.host())) {
      BundleStore agentView =
          new RegistryStore(
              RegistryConfig.plainHttp(hostile.hostAndPort())
                  .withRequestTimeout(Duration.ofMillis(700)));
      hostile.mode(HostileRegistry.Mode.ENDLESS);
      PullLoop loop = loop(agentView, repo, Duration.ofMillis(100));
      loop.start();
      await().until(() -> hostile.hostileAnswers() >= 2);
      hostile.mode(HostileRegistry.Mode.STALL);
      long before = hostile.hostileAnswers();
      await().until(() -> hostile.hostileAnswers() >= before + 2);
      await().until(() -> f.readiness.failing().contains(PullLoop.SOURCE_HEALTHY));
      assertThat(loop.stalled(Duration.ofMinutes(1))).isEmpty();
      assertThat(f.helmVersion()).isEqualTo("6.5.0");
      assertThat(f.rejections()).containsExactly(RejectionReason.REJECTION_REASON_TOO_LARGE);

      hostile.mode(HostileRegistry.Mode.PASS);
      await().atMost(Duration.ofSeconds(30)).until(() -> f.hubSawConverged(1));
      assertThat(f.helmVersion()).isEqualTo("6.5.4");
    }
  }

  @Test
  void anyThrowableFromTheSourceCostsOnePollNotTheLoop() throws Exception {
    String repo = "kapro/team-a/throws";
    f.publish(publisher, repo, PullFixture.payload(1, "6.5.6", "v1.2.0"));
    AtomicInteger failures = new AtomicInteger(3);
    BundleStore flaky =
        new ForwardingStore(publisher) {
          @Override
          public Optional<Descriptor> resolve(String repository, String reference) {
            if (failures.getAndDecrement() > 0) {
              if (failures.get() % 2 == 0) {
                throw new LinkageError("a class failed to load");
              }
              throw new IllegalStateException("a bug");
            }
            return super.resolve(repository, reference);
          }
        };
    PullLoop loop = loop(flaky, repo, Duration.ofMillis(100));
    loop.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> f.hubSawConverged(1));
    assertThat(failures.get()).isNegative();
    assertThat(f.metrics.scrape())
        .containsPattern("kapro_agent_pulls_total\\{result=\"error\"} [3-9]");
  }

  @Test
  void theLivenessEndpointFailsWhileAPollHangsAndRecoversAfterIt() throws Exception {
    String repo = "kapro/team-a/hangs";
    f.publish(publisher, repo, PullFixture.payload(1, "6.5.7", "v1.2.0"));
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean hang = new AtomicBoolean(true);
    BundleStore hanging =
        new ForwardingStore(publisher) {
          @Override
          public Optional<Descriptor> resolve(String repository, String reference) {
            if (hang.get()) {
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return super.resolve(repository, reference);
          }
        };
    PullLoop loop = loop(hanging, repo, Duration.ofMillis(100));
    Liveness liveness = new Liveness();
    liveness.watch(Liveness.PULL_LOOP, () -> loop.stalled(Duration.ofMillis(300)));
    try (HealthServer health =
        HealthServer.start(new HealthConfig("127.0.0.1", 0), f.readiness, f.metrics, liveness)) {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest healthz =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + "/healthz"))
              .build();
      assertThat(http.send(healthz, HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
      loop.start();
      await()
          .until(
              () -> http.send(healthz, HttpResponse.BodyHandlers.ofString()),
              r -> r.statusCode() == 503 && r.body().contains("pull-loop: bundle poll running"));
      hang.set(false);
      release.countDown();
      await()
          .until(
              () -> http.send(healthz, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
      await().atMost(Duration.ofSeconds(30)).until(() -> f.hubSawConverged(1));
    }
  }

  @Test
  void aMirrorThatStripsTheSignatureRaisesOneAlarmAndTheSameDigestAppliesOnceRestored()
      throws Exception {
    String repo = "kapro/team-a/stripped";
    String digest = f.publish(publisher, repo, PullFixture.payload(1, "6.5.8", "v1.2.0"));
    AtomicBoolean strip = new AtomicBoolean(true);
    BundleStore mirror =
        new ForwardingStore(publisher) {
          @Override
          public Optional<Descriptor> resolve(String repository, String reference) {
            if (strip.get() && reference.equals(BundleRepository.signatureTag(digest))) {
              return Optional.empty();
            }
            return super.resolve(repository, reference);
          }
        };
    PullLoop loop = loop(mirror, repo, Duration.ofHours(1));
    assertThat(loop.pollOnce()).isEqualTo(PullLoop.Outcome.ERROR);
    assertThat(loop.pollOnce()).isEqualTo(PullLoop.Outcome.ERROR);
    await().until(() -> f.rejections().contains(RejectionReason.REJECTION_REASON_UNSIGNED));
    assertThat(f.rejections()).containsExactly(RejectionReason.REJECTION_REASON_UNSIGNED);
    assertThat(OciException.Reason.UNSIGNED.isTransportIntegrity()).isTrue();

    strip.set(false);
    assertThat(loop.pollOnce()).isEqualTo(PullLoop.Outcome.APPLIED);
    assertThat(loop.state().mark().digest()).isEqualTo(digest);
  }
}
