package io.kapro.hub.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.agent.testing.MutableClock;
import io.kapro.hub.link.LinkException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class BootstrapTokensTest {
  private final MutableClock clock = MutableClock.now();
  private final InMemoryTokenStore store = new InMemoryTokenStore();
  private final BootstrapTokens tokens = new BootstrapTokens(store, clock);
  private final ClusterId cluster = new ClusterId("team-a", "edge-1");

  @Test
  void storesOnlyTheHashAndBindsTheCluster() {
    String token = tokens.issue(cluster, BootstrapTokens.DEFAULT_TTL);
    assertThat(token).startsWith("kbt_").hasSizeGreaterThan(40);
    assertThat(store.find(token)).isEmpty();
    TokenRecord record = store.find(BootstrapTokens.hash(token)).orElseThrow();
    assertThat(record.cluster()).isEqualTo(cluster);
    assertThat(record.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
    assertThat(tokens.check(token).cluster()).isEqualTo(cluster);
  }

  @Test
  void isSingleUse() {
    String token = tokens.issue(cluster, BootstrapTokens.DEFAULT_TTL);
    tokens.consume(tokens.check(token));
    assertThatThrownBy(() -> tokens.check(token))
        .isInstanceOf(LinkException.class)
        .extracting(e -> ((LinkException) e).reason())
        .isEqualTo(LinkException.Reason.TOKEN_USED);
  }

  @Test
  void expiresAfterItsTtl() {
    String token = tokens.issue(cluster, Duration.ofMinutes(10));
    clock.advance(Duration.ofMinutes(10));
    assertThatThrownBy(() -> tokens.check(token))
        .isInstanceOf(LinkException.class)
        .hasMessageContaining("expired")
        .extracting(e -> ((LinkException) e).reason())
        .isEqualTo(LinkException.Reason.TOKEN_EXPIRED);
  }

  @Test
  void unknownAndMalformedTokensAreRefused() {
    for (String bad : new String[] {null, "", "kbt_nope", "x".repeat(10_000), "\u0000"}) {
      assertThatThrownBy(() -> tokens.check(bad))
          .isInstanceOf(LinkException.class)
          .extracting(e -> ((LinkException) e).reason())
          .isEqualTo(LinkException.Reason.TOKEN_UNKNOWN);
    }
  }

  @Test
  void ttlOutsideBoundsIsRefused() {
    assertThatThrownBy(() -> tokens.issue(cluster, Duration.ZERO)).hasMessageContaining("ttl");
    assertThatThrownBy(() -> tokens.issue(cluster, Duration.ofDays(8))).hasMessageContaining("ttl");
  }

  @Test
  void concurrentRedemptionsLetExactlyOneWin() throws Exception {
    String token = tokens.issue(cluster, BootstrapTokens.DEFAULT_TTL);
    TokenRecord record = tokens.check(token);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> attempts = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        attempts.add(
            () -> {
              try {
                tokens.consume(record);
                return true;
              } catch (LinkException e) {
                return false;
              }
            });
      }
      long wins = 0;
      for (Future<Boolean> f : pool.invokeAll(attempts)) {
        wins += f.get() ? 1 : 0;
      }
      assertThat(wins).isEqualTo(1);
    } finally {
      pool.shutdown();
    }
  }
}
