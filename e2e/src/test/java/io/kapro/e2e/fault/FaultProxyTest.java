package io.kapro.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each fault of {@link FaultProxy} against a real loopback echo server. */
class FaultProxyTest {
  EchoServer echo;
  FaultProxy proxy;

  @BeforeEach
  void start() throws IOException {
    echo = new EchoServer();
    proxy = FaultProxy.start("127.0.0.1", echo.port());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  Socket connect() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    s.setSoTimeout(10_000);
    return s;
  }

  static byte[] roundTrip(Socket s, byte[] data) throws IOException {
    Thread writer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    s.getOutputStream().write(data);
                    s.getOutputStream().flush();
                  } catch (IOException e) {
                    // the reader sees the failure
                  }
                });
    byte[] back = new byte[data.length];
    new DataInputStream(s.getInputStream()).readFully(back);
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return back;
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void aTargetThatDoesNotResolveIsRefusedWithTheFix() {
    assertThatThrownBy(() -> FaultProxy.start("127.0.0.1:5000", 5000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without a port");
  }

  @Test
  void passThroughForwardsAndCountsBothWays() throws IOException {
    byte[] data = random(100_000);
    try (Socket s = connect()) {
      assertThat(roundTrip(s, data)).isEqualTo(data);
    }
    // counted once written on, which may be just after the client has read them
    await().until(() -> proxy.upstreamBytes() == 100_000 && proxy.downstreamBytes() == 100_000);
    await().until(() -> proxy.openConnections() == 0);
  }

  @Test
  void latencyDelaysEachDirection() throws IOException {
    Duration delay = Duration.ofMillis(150);
    try (Socket s = connect()) {
      roundTrip(s, random(10));
      proxy.latency(delay);
      long start = System.nanoTime();
      assertThat(roundTrip(s, random(10))).hasSize(10);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).isGreaterThanOrEqualTo(delay.multipliedBy(2));
      proxy.passThrough();
      assertThat(roundTrip(s, random(10))).hasSize(10);
    }
  }

  @Test
  void bandwidthCapsThroughput() throws IOException {
    long rate = 200_000;
    int size = 300_000;
    proxy.bandwidth(rate);
    try (Socket s = connect()) {
      long start = System.nanoTime();
      assertThat(roundTrip(s, random(size))).isEqualTo(random(size));
      double seconds = (System.nanoTime() - start) / 1e9;
      // each direction is capped; the first second's window may be used up front
      assertThat(size / seconds).isLessThanOrEqualTo(rate * 1.5);
    }
  }

  @Test
  void dropClosesNewConnectionsAndRecovers() throws IOException {
    try (Socket before = connect()) {
      roundTrip(before, random(100));
      proxy.drop();
      try (Socket s = connect()) {
        assertThat(readOrReset(s.getInputStream())).isTrue();
      }
      assertThat(roundTrip(before, random(100))).hasSize(100);
    }
    proxy.passThrough();
    try (Socket s = connect()) {
      assertThat(roundTrip(s, random(100))).isEqualTo(random(100));
    }
  }

  /** True when the peer closed (EOF) or reset the connection. */
  static boolean readOrReset(InputStream in) throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketException e) {
      return true;
    }
  }

  @Test
  void resetGivesClientsAnErrorAndRecovers() throws IOException {
    try (Socket s = connect()) {
      roundTrip(s, random(10));
      proxy.reset();
      assertThatThrownBy(
              () -> {
                for (int i = 0; i < 100; i++) {
                  roundTrip(s, random(10));
                }
              })
          .isInstanceOf(IOException.class);
    }
    try (Socket s = connect()) {
      assertThatThrownBy(() -> roundTrip(s, random(10))).isInstanceOf(IOException.class);
    }
    proxy.passThrough();
    try (Socket s = connect()) {
      assertThat(roundTrip(s, random(10))).isEqualTo(random(10));
    }
  }

  @Test
  void blackholeStallsWithoutAnswerAndRecovers() throws IOException {
    try (Socket open = connect()) {
      roundTrip(open, random(10));
      proxy.blackhole();
      long up = proxy.upstreamBytes();
      open.setSoTimeout(300);
      open.getOutputStream().write(random(10));
      assertThatThrownBy(() -> open.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
      try (Socket fresh = connect()) {
        fresh.setSoTimeout(300);
        fresh.getOutputStream().write(random(10));
        assertThatThrownBy(() -> fresh.getInputStream().read())
            .isInstanceOf(SocketTimeoutException.class);
      }
      assertThat(proxy.upstreamBytes()).isEqualTo(up);

      proxy.passThrough();
      open.setSoTimeout(10_000);
      byte[] held = new byte[10];
      new DataInputStream(open.getInputStream()).readFully(held);
      assertThat(held).isEqualTo(random(10));
    }
    try (Socket s = connect()) {
      assertThat(roundTrip(s, random(10))).isEqualTo(random(10));
    }
  }
}
