package io.kapro.e2e.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback TCP proxy that injects faults between a client and a target: added latency, a
 * bandwidth cap, dropped or reset connections and a blackhole, switchable at run time (see {@link
 * Fault}). Listens on 127.0.0.1 on a free port, one virtual thread per direction and connection,
 * and counts the bytes forwarded each way. Put it between agents and the hub, or between hub or
 * agents and the registry, by giving them {@link #hostAndPort()} instead of the target's.
 */
public final class FaultProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);

  private volatile InetSocketAddress target;
  private final ServerSocket server;
  private final Thread acceptor;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicLong upstreamBytes = new AtomicLong();
  private final AtomicLong downstreamBytes = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final Object lock = new Object();
  private Fault fault = new Fault.PassThrough();
  private volatile boolean closed;

  private FaultProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    this.acceptor = Thread.ofVirtual().name("fault-proxy-accept").start(this::acceptLoop);
    LOG.debug("fault proxy 127.0.0.1:{} -> {}", port(), target);
  }

  /** Starts a proxy on 127.0.0.1 (any free port) in front of {@code host:port}. */
  public static FaultProxy start(String host, int port) {
    InetSocketAddress target = new InetSocketAddress(host, port);
    if (target.isUnresolved()) {
      throw new IllegalArgumentException(
          "fault proxy target host '"
              + host
              + "' does not resolve; give a host name or IP address without a port");
    }
    try {
      return new FaultProxy(target);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start a fault proxy in front of " + host + ":" + port, e);
    }
  }

  /** The port clients connect to. */
  public int port() {
    return server.getLocalPort();
  }

  /** {@code 127.0.0.1:<port>}, to hand to a client instead of the target's address. */
  public String hostAndPort() {
    return "127.0.0.1:" + port();
  }

  /** The current fault. */
  public Fault fault() {
    synchronized (lock) {
      return fault;
    }
  }

  /** Switches to {@code next}; takes effect on the next chunk of every connection. */
  public void set(Fault next) {
    Objects.requireNonNull(next, "fault");
    Fault previous;
    synchronized (lock) {
      previous = fault;
      fault = next;
      lock.notifyAll();
    }
    LOG.info("fault proxy {} -> {}: {}", hostAndPort(), target, next);
    if (next instanceof Fault.Reset) {
      links.forEach(Link::reset);
    }
    if (previous instanceof Fault.Blackhole && !(next instanceof Fault.Blackhole)) {
      links.stream().filter(Link::swallowing).forEach(Link::reset);
    }
  }

  public void passThrough() {
    set(new Fault.PassThrough());
  }

  public void latency(Duration delay) {
    set(new Fault.Latency(delay));
  }

  public void bandwidth(long bytesPerSecond) {
    set(new Fault.Bandwidth(bytesPerSecond));
  }

  public void drop() {
    set(new Fault.Drop());
  }

  public void reset() {
    set(new Fault.Reset());
  }

  public void blackhole() {
    set(new Fault.Blackhole());
  }

  /** The port new connections are forwarded to. */
  public int targetPort() {
    return target.getPort();
  }

  /**
   * New connections go to {@code 127.0.0.1:port} from now on, as a Service sends them to its
   * remaining endpoints once one is removed; open connections stay where they are until they end
   * (see {@link #resetOpen}).
   */
  public void retarget(int port) {
    target = new InetSocketAddress(target.getAddress(), port);
    LOG.info("fault proxy {} -> {} from now on", hostAndPort(), target);
  }

  /**
   * Resets every open connection (RST to the client) without changing the fault: what the clients
   * of a process see when it is killed (its kernel resets its connections).
   */
  public void resetOpen() {
    links.forEach(Link::reset);
  }

  /** Bytes forwarded from clients to the target. */
  public long upstreamBytes() {
    return upstreamBytes.get();
  }

  /** Bytes forwarded from the target to clients. */
  public long downstreamBytes() {
    return downstreamBytes.get();
  }

  /** Connections accepted so far, whatever happened to them. */
  public long acceptedConnections() {
    return accepted.get();
  }

  /** Connections currently open. */
  public int openConnections() {
    return links.size();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("fault proxy {} stopped accepting: {}", hostAndPort(), e.toString());
        }
        return;
      }
      accepted.incrementAndGet();
      Thread.ofVirtual().name("fault-proxy-link").start(() -> open(client));
    }
  }

  private void open(Socket client) {
    Fault now = fault();
    switch (now) {
      case Fault.Drop d -> Link.closeQuietly(client);
      case Fault.Reset r -> Link.resetQuietly(client);
      case Fault.Blackhole b -> new Link(this, client, null).swallow();
      default -> {
        Socket upstream = new Socket();
        InetSocketAddress to = target;
        try {
          upstream.setTcpNoDelay(true);
          client.setTcpNoDelay(true);
          upstream.connect(to, 10_000);
        } catch (IOException e) {
          LOG.debug("fault proxy cannot reach {}: {}", to, e.toString());
          Link.resetQuietly(client);
          Link.closeQuietly(upstream);
          return;
        }
        new Link(this, client, upstream).start();
      }
    }
  }

  void register(Link link) {
    links.add(link);
    if (closed) {
      link.reset();
    }
  }

  void unregister(Link link) {
    links.remove(link);
  }

  void count(boolean up, long n) {
    (up ? upstreamBytes : downstreamBytes).addAndGet(n);
  }

  /**
   * Blocks while the proxy is blackholed; then returns the fault to apply to the next chunk.
   *
   * @throws InterruptedException when the link is being torn down
   */
  Fault awaitFlowing() throws InterruptedException {
    synchronized (lock) {
      while (fault instanceof Fault.Blackhole && !closed) {
        lock.wait();
      }
      return fault;
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (lock) {
      lock.notifyAll();
    }
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("closing fault proxy: {}", e.toString());
    }
    links.forEach(Link::reset);
    acceptor.interrupt();
  }
}
