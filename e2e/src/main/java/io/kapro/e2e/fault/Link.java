package io.kapro.e2e.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** One proxied connection: a client socket, its upstream socket and a pump per direction. */
final class Link {
  private static final int CHUNK = 16 * 1024;

  private final FaultProxy proxy;
  private final Socket client;
  private final Socket upstream;
  private volatile boolean swallowing;
  private final AtomicInteger ended = new AtomicInteger();
  private volatile boolean gone;

  Link(FaultProxy proxy, Socket client, Socket upstream) {
    this.proxy = proxy;
    this.client = client;
    this.upstream = upstream;
  }

  boolean swallowing() {
    return swallowing;
  }

  void start() {
    proxy.register(this);
    Thread.ofVirtual().name("fault-proxy-up").start(() -> pump(client, upstream, true));
    Thread.ofVirtual().name("fault-proxy-down").start(() -> pump(upstream, client, false));
  }

  /** Blackhole for a connection accepted during one: read and discard until reset or EOF. */
  void swallow() {
    swallowing = true;
    proxy.register(this);
    byte[] buf = new byte[CHUNK];
    try (InputStream in = client.getInputStream()) {
      while (in.read(buf) >= 0) {
        // discarded: nothing is forwarded or answered
      }
    } catch (IOException e) {
      // reset or closed
    } finally {
      reset();
    }
  }

  private void pump(Socket from, Socket to, boolean up) {
    byte[] buf = new byte[CHUNK];
    long windowStart = System.nanoTime();
    long windowBytes = 0;
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      while (true) {
        Fault f = proxy.awaitFlowing();
        int max = buf.length;
        if (f instanceof Fault.Bandwidth b) {
          max = (int) Math.max(1, Math.min(buf.length, b.bytesPerSecond() / 20));
        }
        int n = in.read(buf, 0, max);
        if (n < 0) {
          break;
        }
        f = proxy.awaitFlowing();
        switch (f) {
          case Fault.Latency l -> sleepNanos(l.delay().toNanos());
          case Fault.Bandwidth b -> {
            long now = System.nanoTime();
            if (now - windowStart > TimeUnit.SECONDS.toNanos(1)) {
              windowStart = now;
              windowBytes = 0;
            }
            windowBytes += n;
            long due = windowStart + windowBytes * 1_000_000_000L / b.bytesPerSecond();
            sleepNanos(due - System.nanoTime());
          }
          default -> {}
        }
        out.write(buf, 0, n);
        out.flush();
        proxy.count(up, n);
      }
      to.shutdownOutput();
      if (ended.incrementAndGet() == 2) {
        close();
      }
    } catch (IOException | InterruptedException e) {
      reset();
    }
  }

  private static void sleepNanos(long nanos) throws InterruptedException {
    if (nanos > 0) {
      TimeUnit.NANOSECONDS.sleep(nanos);
    }
  }

  /** Ends both sides with RST. */
  void reset() {
    if (gone) {
      return;
    }
    gone = true;
    resetQuietly(client);
    if (upstream != null) {
      resetQuietly(upstream);
    }
    proxy.unregister(this);
  }

  private void close() {
    if (gone) {
      return;
    }
    gone = true;
    closeQuietly(client);
    closeQuietly(upstream);
    proxy.unregister(this);
  }

  static void resetQuietly(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (IOException e) {
      // already closed
    }
    closeQuietly(s);
  }

  static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
