package io.kapro.agent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy that counts the bytes it carries each way and can cut the network: {@link
 * #pause()} closes the listener and every open connection, {@link #resume()} listens again on the
 * same port. Stands between an agent and its registry or hub.
 */
public final class TcpProxy implements AutoCloseable {
  private final int targetPort;
  private final int port;
  private final AtomicLong upstream = new AtomicLong();
  private final AtomicLong downstream = new AtomicLong();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket listener;

  public TcpProxy(int targetPort) throws IOException {
    this(targetPort, 0);
  }

  public TcpProxy(int targetPort, int port) throws IOException {
    this.targetPort = targetPort;
    this.listener = listen(port);
    this.port = listener.getLocalPort();
    accept(listener);
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    return s;
  }

  public int port() {
    return port;
  }

  /** Bytes sent from clients to the target. */
  public long bytesUp() {
    return upstream.get();
  }

  /** Bytes sent from the target to clients. */
  public long bytesDown() {
    return downstream.get();
  }

  /** Both directions. */
  public long bytes() {
    return bytesUp() + bytesDown();
  }

  /** Cuts the network: no new connections, open ones are reset. */
  public synchronized void pause() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
    sockets.clear();
  }

  /** Listens again on the same port. */
  public synchronized void resume() throws IOException {
    if (listener.isClosed()) {
      listener = listen(port);
      accept(listener);
    }
  }

  private void accept(ServerSocket server) {
    Thread.ofPlatform()
        .daemon()
        .name("tcp-proxy-" + port)
        .start(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket client = server.accept();
                  Socket target;
                  try {
                    target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                  } catch (IOException e) {
                    client.close();
                    continue;
                  }
                  sockets.add(client);
                  sockets.add(target);
                  pump(client, target, upstream);
                  pump(target, client, downstream);
                } catch (IOException e) {
                  // closed by pause/close, or the target refused: the client sees a reset
                }
              }
            });
  }

  private void pump(Socket from, Socket to, AtomicLong counter) {
    Thread.ofPlatform()
        .daemon()
        .name("tcp-proxy-pump")
        .start(
            () -> {
              byte[] buf = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  out.write(buf, 0, n);
                  out.flush();
                  counter.addAndGet(n);
                }
              } catch (IOException e) {
                // connection ended
              } finally {
                close(from);
                close(to);
              }
            });
  }

  private void close(Socket s) {
    sockets.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    pause();
  }
}
