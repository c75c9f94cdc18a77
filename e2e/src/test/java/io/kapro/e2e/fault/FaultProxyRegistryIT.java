package io.kapro.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kapro.oci.OciException;
import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.FieldSet;
import io.kapro.oci.bundle.ObjectReference;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.store.RegistryConfig;
import io.kapro.oci.store.RegistryStore;
import io.kapro.oci.testing.LocalRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The faults seen by the registry client when the real distribution registry sits behind the proxy.
 */
class FaultProxyRegistryIT {
  static final String REPO = "kapro/team-a/edge-1";
  static LocalRegistry registry;
  static String digest;
  FaultProxy proxy;

  @BeforeAll
  static void startRegistry() {
    registry = LocalRegistry.startPlain();
    SignedBundle bundle =
        SignedBundle.sign(
            BundlePayload.of(
                "edge-1",
                "team-a",
                "fleet-a",
                "promo-1-run-1",
                1,
                Instant.now(),
                Instant.now().plus(Duration.ofHours(1)),
                List.of(
                    new BundleUnit(
                        "podinfo",
                        "Flux",
                        new ObjectReference(
                            "helm.toolkit.fluxcd.io/v2", "HelmRelease", "apps", "podinfo"),
                        "6.5.4",
                        "",
                        List.of(new FieldSet("spec.chart.spec.version", "6.5.4")))),
                false),
            SigningKey.generate(),
            REPO);
    try (RegistryStore direct = new RegistryStore(RegistryConfig.plainHttp(registry.host()))) {
      digest = direct.put(REPO, bundle);
    }
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  @BeforeEach
  void startProxy() {
    proxy = FaultProxy.start("127.0.0.1", registry.port());
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  /** A fresh client (its own connection pool) through the proxy. */
  RegistryStore client() {
    return new RegistryStore(RegistryConfig.plainHttp(proxy.hostAndPort()));
  }

  String resolveDesired() {
    try (RegistryStore store = client()) {
      return store.resolve(REPO, BundleRepository.DESIRED_TAG).map(Descriptor::digest).orElse("");
    }
  }

  @Test
  void passThroughAndLatency() {
    assertThat(resolveDesired()).isEqualTo(digest);
    assertThat(proxy.upstreamBytes()).isPositive();
    assertThat(proxy.downstreamBytes()).isPositive();
    Duration delay = Duration.ofMillis(200);
    proxy.latency(delay);
    long start = System.nanoTime();
    assertThat(resolveDesired()).isEqualTo(digest);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
  }

  @Test
  void bandwidthCapSlowsABlobDownload() {
    long rate = 50_000;
    proxy.bandwidth(rate);
    try (RegistryStore store = client()) {
      byte[] manifest = store.fetchManifest(REPO, digest, 64 * 1024);
      long start = System.nanoTime();
      byte[] again = store.fetchManifest(REPO, digest, 64 * 1024);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(again).isEqualTo(manifest);
      assertThat(manifest.length / seconds).isLessThanOrEqualTo(rate * 1.5);
    }
  }

  @Test
  void resetAndDropAreRetryableErrorsAndRecover() {
    proxy.reset();
    assertThatThrownBy(this::resolveDesired)
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.isRetryable()).as(e.getMessage()).isTrue());
    proxy.drop();
    assertThatThrownBy(this::resolveDesired)
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.isRetryable()).as(e.getMessage()).isTrue());
    proxy.passThrough();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> resolveDesired().equals(digest));
  }

  @Test
  void blackholeTimesOutAClientWithADeadlineAndRecovers() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest ping =
        HttpRequest.newBuilder(URI.create("http://" + proxy.hostAndPort() + "/v2/"))
            .timeout(Duration.ofMillis(500))
            .build();
    assertThat(http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    proxy.blackhole();
    assertThatThrownBy(() -> http.send(ping, HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(HttpTimeoutException.class);
    proxy.passThrough();
    assertThat(resolveDesired()).isEqualTo(digest);
  }
}
