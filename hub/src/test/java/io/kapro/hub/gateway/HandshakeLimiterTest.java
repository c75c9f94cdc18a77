package io.kapro.hub.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/** The bound on handshakes in progress, on real JDK engines and a hand-driven clock. */
class HandshakeLimiterTest {
  private final AtomicLong nanos = new AtomicLong();

  private static SSLEngine engine() throws Exception {
    SSLEngine e = SSLContext.getDefault().createSSLEngine();
    e.setUseClientMode(false);
    return e;
  }

  @Test
  void aHandshakeAboveTheLimitIsRefusedAndCounted() throws Exception {
    HandshakeLimiter limiter = new HandshakeLimiter(2, Duration.ofSeconds(10), nanos::get);
    limiter.admit(engine());
    limiter.admit(engine());
    assertThatThrownBy(() -> limiter.admit(engine()))
        .isInstanceOf(SSLException.class)
        .hasMessageContaining("2 TLS handshakes")
        .hasMessageContaining("retry with backoff");
    assertThat(limiter.inProgress()).isEqualTo(2);
    assertThat(limiter.refused()).isEqualTo(1);
  }

  @Test
  void aSlotIsFreeOnceTheHandshakeTimeoutPassed() throws Exception {
    HandshakeLimiter limiter = new HandshakeLimiter(1, Duration.ofSeconds(10), nanos::get);
    limiter.admit(engine());
    nanos.addAndGet(Duration.ofSeconds(9).toNanos());
    assertThatThrownBy(() -> limiter.admit(engine())).isInstanceOf(SSLException.class);
    nanos.addAndGet(Duration.ofSeconds(1).toNanos()); // Netty's SslHandler closed it by now
    limiter.admit(engine());
    assertThat(limiter.inProgress()).isEqualTo(1);
  }

  @Test
  void aClosedEngineFreesItsSlot() throws Exception {
    HandshakeLimiter limiter = new HandshakeLimiter(1, Duration.ofSeconds(10), nanos::get);
    SSLEngine first = engine();
    limiter.admit(first);
    try {
      first.closeInbound(); // the connection went away before its handshake
    } catch (SSLException expected) {
      // no close_notify from a peer that never spoke
    }
    limiter.admit(engine());
    assertThat(limiter.inProgress()).isEqualTo(1);
  }

  @Test
  void theLimitMustBePositive() {
    assertThatThrownBy(() -> new HandshakeLimiter(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }
}
