package io.kapro.oci.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.testing.HostileRegistry;
import io.kapro.oci.testing.LocalRegistry;
import io.kapro.oci.testing.TestBundles;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 items 5 and 7 on real sockets: the real distribution registry behind a {@link
 * HostileRegistry} that streams without end, stalls, redirects to another host name or names a
 * token realm there. Every read is bounded and timed out; credentials never leave the registry's
 * own host unless the config allows the other one.
 */
class HostileRegistryIT {
  static final String REPO = "kapro/team-a/hostile-1";
  static final long LIMIT = 64 * 1024;
  static LocalRegistry registry;
  static String digest;
  HostileRegistry hostile;

  @BeforeAll
  static void publish() {
    registry = LocalRegistry.startPlain();
    SignedBundle bundle =
        SignedBundle.sign(
            TestBundles.payload("team-a", "hostile-1", 1, Instant.now(), Duration.ofHours(1)),
            SigningKey.generate(),
            REPO);
    try (RegistryStore direct =
        new RegistryStore(io.kapro.oci.testing.Registries.config(registry))) {
      digest = direct.put(REPO, bundle);
    }
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  @BeforeEach
  void front() {
    hostile = HostileRegistry.start(registry.host());
  }

  @AfterEach
  void close() {
    hostile.close();
  }

  RegistryStore store(RegistryConfig.Credentials credentials, Duration timeout) {
    return new RegistryStore(
        new RegistryConfig(hostile.hostAndPort(), true, credentials, null)
            .withRequestTimeout(timeout));
  }

  @Test
  void anEndlessManifestBodyIsRefusedAtTheLimitAndTheNextReadWorks() {
    try (RegistryStore store = store(null, Duration.ofSeconds(30))) {
      hostile.mode(HostileRegistry.Mode.ENDLESS);
      assertThat(store.resolve(REPO, BundleRepository.DESIRED_TAG))
          .get()
          .hasFieldOrPropertyWithValue("digest", digest);
      assertThatThrownBy(() -> store.fetchManifest(REPO, digest, LIMIT))
          .isInstanceOfSatisfying(
              OciException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
                assertThat(e.getMessage()).contains(String.valueOf(LIMIT));
              });
      assertThatThrownBy(() -> store.fetchBlob(REPO, digest, LIMIT))
          .isInstanceOfSatisfying(
              OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
      hostile.mode(HostileRegistry.Mode.PASS);
      assertThat(store.fetchManifest(REPO, digest, LIMIT)).isNotEmpty();
    }
  }

  @Test
  void aPushToARegistryThatStallsIsCutAfterItsDeadline() throws Exception {
    // answers the auth probe (GET /v2/), then never answers a push: oras-java has no timeout of
    // its own, so RegistryStore cuts each push after PUSH_ROUND_TRIPS request timeouts
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    com.sun.net.httpserver.HttpServer stalling =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    stalling.setExecutor(
        java.util.concurrent.Executors.newCachedThreadPool(Thread.ofVirtual().factory()));
    stalling.createContext(
        "/",
        ex -> {
          try (ex) {
            if (ex.getRequestURI().getPath().equals("/v2/")) {
              ex.sendResponseHeaders(200, 2);
              ex.getResponseBody().write("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
              return;
            }
            release.await(2, TimeUnit.MINUTES);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    stalling.start();
    String host = "127.0.0.1:" + stalling.getAddress().getPort();
    try (RegistryStore store =
        new RegistryStore(
            new RegistryConfig(host, true, null, null)
                .withRequestTimeout(Duration.ofMillis(500)))) {
      assertThatThrownBy(() -> store.putBlob(REPO, new byte[] {1, 2, 3}))
          .isInstanceOfSatisfying(
              OciException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
                assertThat(e.isRetryable()).isTrue();
                assertThat(e.getMessage())
                    .contains("push blob")
                    .contains("not done within 1500 ms")
                    .contains("registry.requestTimeout");
              });
    } finally {
      release.countDown();
      stalling.stop(0);
    }
  }

  @Test
  void aStalledBodyFailsAfterTheRequestTimeoutAsARetryableError() {
    try (RegistryStore store = store(null, Duration.ofMillis(800))) {
      hostile.mode(HostileRegistry.Mode.STALL);
      assertThatThrownBy(() -> store.fetchManifest(REPO, digest, LIMIT))
          .isInstanceOfSatisfying(
              OciException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
                assertThat(e.isRetryable()).isTrue();
                assertThat(e.getMessage()).contains("requestTimeout");
              });
      hostile.mode(HostileRegistry.Mode.PASS);
      assertThat(store.fetchManifest(REPO, digest, LIMIT)).isNotEmpty();
    }
  }

  @Test
  void theAlarmThreadEndsWhenIdleAndAPendingAlarmStillCutsAStalledBody() {
    // issue 22: the deadline thread ends 5 s after the last alarm was cancelled; a deadline longer
    // than that must keep it, or a stalled body would never be cut
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> RegistryHttp.DEADLINES.getPoolSize() == 0);
    try (RegistryStore store =
        store(
            null,
            Duration.ofSeconds(RegistryHttp.DEADLINES.getKeepAliveTime(TimeUnit.SECONDS) + 2))) {
      hostile.mode(HostileRegistry.Mode.STALL);
      assertThatThrownBy(() -> store.fetchManifest(REPO, digest, LIMIT))
          .isInstanceOfSatisfying(
              OciException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
                assertThat(e.getMessage()).contains("requestTimeout");
              });
      hostile.mode(HostileRegistry.Mode.PASS);
    }
  }

  @Test
  void aReadWhileTheCommonPoolIsBusyDoesNotWaitForThePool() throws Exception {
    // Every worker of the common fork-join pool is blocked (a saturated pool, or a caller that is
    // itself a pool task). The registry's answer must still reach the caller: nothing on the
    // read path may wait for a pool thread, or the read waits out its deadline and fails.
    int workers = java.util.concurrent.ForkJoinPool.getCommonPoolParallelism();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(workers);
    for (int i = 0; i < workers; i++) {
      java.util.concurrent.ForkJoinPool.commonPool()
          .execute(
              () -> {
                busy.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
    }
    try (RegistryStore store =
        new RegistryStore(
            io.kapro.oci.testing.Registries.config(registry)
                .withRequestTimeout(Duration.ofSeconds(20)))) {
      assertThat(busy.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(store.fetchManifest(REPO, digest, LIMIT)).isNotEmpty();
    } finally {
      release.countDown();
    }
  }

  @Test
  void aRedirectToAnotherHostIsFollowedWithoutTheCredentials() {
    try (RegistryStore store =
        store(new RegistryConfig.Credentials.Bearer("registry-secret"), Duration.ofSeconds(30))) {
      hostile.mode(HostileRegistry.Mode.REDIRECT);
      assertThat(store.fetchManifest(REPO, digest, LIMIT)).isNotEmpty();
      assertThat(hostile.hostileAnswers()).isPositive();
      assertThat(hostile.frontAuthorizations()).contains("Bearer registry-secret");
      assertThat(hostile.otherHostAuthorizations()).isNotEmpty().containsOnly("");
    }
  }

  @Test
  void aRedirectToAnAllowedAuthHostGetsTheCredentials() {
    try (RegistryStore store =
        new RegistryStore(
            new RegistryConfig(
                    hostile.hostAndPort(),
                    true,
                    new RegistryConfig.Credentials.Bearer("registry-secret"),
                    null)
                .withAuthHosts(Set.of("localhost")))) {
      hostile.mode(HostileRegistry.Mode.REDIRECT);
      assertThat(store.fetchManifest(REPO, digest, LIMIT)).isNotEmpty();
      assertThat(hostile.otherHostAuthorizations()).containsOnly("Bearer registry-secret");
    }
  }

  @Test
  void aTokenRealmOnAnotherHostGetsNoCredentials() {
    hostile.challenge(
        "Bearer realm=\"http://" + hostile.otherHostAndPort() + "/token\",service=\"evil\"");
    try (RegistryStore store =
        store(new RegistryConfig.Credentials.Basic("agent", "s3cret"), Duration.ofSeconds(30))) {
      assertThatThrownBy(() -> store.resolve(REPO, BundleRepository.DESIRED_TAG))
          .isInstanceOfSatisfying(
              OciException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.AUTH_FAILED);
                assertThat(e.getMessage()).contains("another host").contains("authHosts");
              });
    }
    assertThat(hostile.otherHostAuthorizations()).isEmpty();
  }
}
