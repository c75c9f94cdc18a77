package io.kapro.hub.gateway;

import io.grpc.netty.shaded.io.netty.handler.ssl.DelegatingSslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * Bounds the TLS handshakes the gateway works on at once. When a replica dies, every agent it
 * served reconnects to the survivors within its first backoff window (up to 1 s): thousands of
 * handshakes at once. Unbounded, the survivor works on all of them in turn, each one takes longer
 * than the 10 s handshake timeout of both ends, and the work is thrown away: almost none completes
 * and the agents' backoff grows towards its 60 s cap (measured: 52 of 1,000 agents connected after
 * 3 minutes). Bounded, a connection above the limit is closed before any cryptography (the agent
 * sees UNAVAILABLE at once and backs off with jitter), and the handshakes admitted finish in a
 * fraction of a second, so the gateway completes handshakes at the rate its CPU allows.
 *
 * <p>A handshake counts from the moment its connection is accepted until its session is
 * established, its engine is closed, or the handshake timeout has passed (Netty's {@code
 * SslHandler} closes it then); finished ones are swept out when the limit is reached. Established
 * streams are never affected. A peer that opens connections and never completes a handshake holds a
 * slot for at most the handshake timeout (the same peer could spend the gateway's CPU on handshakes
 * without the bound).
 */
final class HandshakeLimiter {
  /** Default bound: at ~400 handshakes/s on 2 cores, 128 in flight finish in about 0.3 s. */
  static final int DEFAULT_LIMIT = 128;

  /** Netty's {@code SslHandler} default handshake timeout, after which a slot is free anyway. */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  /** Least time between two scans of the engines counted, while the limit is reached. */
  private static final long PRUNE_INTERVAL_NANOS = Duration.ofMillis(50).toNanos();

  /** Cipher suite of a JDK engine's session before its handshake completed. */
  private static final String NO_SESSION = "SSL_NULL_WITH_NULL_NULL";

  private final int limit;
  private final long timeoutNanos;
  private final LongSupplier nanoTime;
  private final Map<SSLEngine, Long> inProgress = new IdentityHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private long lastPrune;

  HandshakeLimiter(int limit, Duration timeout, LongSupplier nanoTime) {
    if (limit < 1) {
      throw new IllegalArgumentException(
          "the gateway's handshake limit must be at least 1, got " + limit);
    }
    this.limit = limit;
    this.timeoutNanos = timeout.toNanos();
    this.nanoTime = nanoTime;
    this.lastPrune = nanoTime.getAsLong() - PRUNE_INTERVAL_NANOS;
  }

  HandshakeLimiter(int limit) {
    this(limit, HANDSHAKE_TIMEOUT, System::nanoTime);
  }

  /** {@code context} with every new engine passing {@link #admit} first. */
  SslContext wrap(SslContext context) {
    return new DelegatingSslContext(context) {
      @Override
      protected void initEngine(SSLEngine engine) {
        try {
          admit(engine);
        } catch (SSLException e) {
          throw new IllegalStateException(e.getMessage(), e);
        }
      }
    };
  }

  /**
   * Counts {@code engine} as a handshake in progress, or refuses it when {@link #limit} are.
   *
   * @throws SSLException when the limit is reached; the caller closes the connection
   */
  synchronized void admit(SSLEngine engine) throws SSLException {
    long now = nanoTime.getAsLong();
    if (inProgress.size() >= limit && now - lastPrune >= PRUNE_INTERVAL_NANOS) {
      // reading an engine's state waits for its lock (held while it computes a handshake step):
      // done only when full, and at most every PRUNE_INTERVAL in a storm
      prune(now);
      lastPrune = now;
    }
    if (inProgress.size() >= limit) {
      refused.incrementAndGet();
      throw new SSLException(
          "the gateway is completing "
              + limit
              + " TLS handshakes already; connection refused before the handshake, retry with"
              + " backoff");
    }
    inProgress.put(engine, now);
  }

  /** Handshakes counted now. */
  synchronized int inProgress() {
    prune(nanoTime.getAsLong());
    return inProgress.size();
  }

  /** Connections refused so far because the limit was reached. */
  long refused() {
    return refused.get();
  }

  private void prune(long now) {
    for (Iterator<Map.Entry<SSLEngine, Long>> it = inProgress.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<SSLEngine, Long> e = it.next();
      if (done(e.getKey()) || now - e.getValue() >= timeoutNanos) {
        it.remove();
      }
    }
  }

  private static boolean done(SSLEngine engine) {
    if (engine.isInboundDone() || engine.isOutboundDone()) {
      return true;
    }
    return !NO_SESSION.equals(engine.getSession().getCipherSuite());
  }
}
