package io.kapro.oci.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.testing.ForwardingStore;
import io.kapro.oci.testing.TestBundles;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundlePublisherTest {
  static final SigningKey KEY = SigningKey.generate();
  static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(5));

  @TempDir Path dir;

  /**
   * A store (our own interface) that fails the first manifest puts per repository with a given
   * reason.
   */
  static final class FlakyStore extends ForwardingStore {
    final Reason reason;
    final int failures;
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();

    FlakyStore(BundleStore delegate, Reason reason, int failures) {
      super(delegate);
      this.reason = reason;
      this.failures = failures;
    }

    @Override
    public String put(String repository, SignedBundle bundle) {
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      try {
        if (failed.get() < failures && failed.incrementAndGet() <= failures) {
          throw new OciException(reason, "simulated " + reason);
        }
        return super.put(repository, bundle);
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public String location() {
      return "flaky:" + delegate.location();
    }
  }

  static List<BundlePublisher.Request> requests(int n) {
    List<BundlePublisher.Request> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String repo = "kapro/team-a/c" + i;
      out.add(
          new BundlePublisher.Request(
              repo,
              SignedBundle.sign(
                  TestBundles.payload("team-a", "c" + i, 1, Instant.now(), Duration.ofHours(1)),
                  KEY,
                  repo)));
    }
    return out;
  }

  @Test
  void retriesRateLimitsAndServerErrors() {
    for (Reason r : List.of(Reason.RATE_LIMITED, Reason.REGISTRY_ERROR, Reason.UNREACHABLE)) {
      FlakyStore store = new FlakyStore(OciLayoutStore.directory(dir.resolve(r.name())), r, 2);
      BundlePublisher.Result result =
          new BundlePublisher(store, 2, FAST).publish(requests(1).get(0));
      assertThat(result).isInstanceOf(BundlePublisher.Result.Published.class);
      assertThat(result.attempts()).isEqualTo(3);
    }
  }

  @Test
  void authFailuresAreNotRetried() {
    FlakyStore store = new FlakyStore(OciLayoutStore.directory(dir), Reason.AUTH_FAILED, 100);
    BundlePublisher.Result result = new BundlePublisher(store, 2, FAST).publish(requests(1).get(0));
    assertThat(result)
        .isInstanceOfSatisfying(
            BundlePublisher.Result.Failed.class,
            f -> {
              assertThat(f.error().reason()).isEqualTo(Reason.AUTH_FAILED);
              assertThat(f.attempts()).isEqualTo(1);
            });
  }

  @Test
  void givesUpAfterMaxAttempts() {
    FlakyStore store = new FlakyStore(OciLayoutStore.directory(dir), Reason.REGISTRY_ERROR, 100);
    BundlePublisher.Result result = new BundlePublisher(store, 1, FAST).publish(requests(1).get(0));
    assertThat(result).isInstanceOf(BundlePublisher.Result.Failed.class);
    assertThat(result.attempts()).isEqualTo(4);
  }

  @Test
  void publishesAllWithBoundedParallelismInOrder() {
    FlakyStore store = new FlakyStore(OciLayoutStore.directory(dir), Reason.RATE_LIMITED, 3);
    List<BundlePublisher.Request> reqs = requests(24);
    List<BundlePublisher.Result> results = new BundlePublisher(store, 3, FAST).publishAll(reqs);
    assertThat(results).hasSize(24).allMatch(r -> r instanceof BundlePublisher.Result.Published);
    for (int i = 0; i < reqs.size(); i++) {
      assertThat(results.get(i).request()).isSameAs(reqs.get(i));
      assertThat(store.resolve(reqs.get(i).repository(), "desired")).isPresent();
    }
    assertThat(store.maxInFlight.get()).isBetween(1, 3);
  }
}
