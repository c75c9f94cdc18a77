package io.kapro.hub.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.testing.ApiRequestCounts;
import io.kapro.oci.sign.SigningKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Publishes that start together (a fan-out's first bundles, 50 Target reconcile threads in the hub)
 * read the Fleet's signing-key Secret once, not once each: the cache's one read per recheck
 * interval holds under concurrency. Before: one `get secrets` per concurrent publish.
 */
class SigningKeysIT {
  private static final int THREADS = 8;
  private final PublishFixture hub = new PublishFixture();

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  void concurrentLoadsReadTheSecretOnce() throws Exception {
    FleetConfig fleet = FleetConfig.of(hub.fleet("24h", "1h"));
    SigningKeys keys = new SigningKeys(hub.client, hub.clock, Duration.ofMinutes(10));
    Map<String, Long> before = hub.api.requests().snapshot();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<SigningKey>> loads = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        loads.add(
            pool.submit(
                () -> {
                  start.await();
                  return keys.load(fleet);
                }));
      }
      start.countDown();
      for (Future<SigningKey> f : loads) {
        assertThat(f.get().publicKey()).isEqualTo(hub.key.publicKey());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(ApiRequestCounts.delta(before, hub.api.requests().snapshot()))
        .isEqualTo(Map.of("get secrets", 1L));
  }
}
