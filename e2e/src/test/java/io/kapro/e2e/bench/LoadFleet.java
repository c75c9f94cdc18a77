package io.kapro.e2e.bench;

import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.ca.HubCa;
import io.kapro.oci.bundle.BundleRepository;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The load generator of issue 21: {@code n} agents in this JVM for the ingestion and idle
 * benchmarks at 10,000 streams. Each is a {@link SimAgent} with its own EC key pair and client
 * certificate issued by the hub CA (so the gateway derives its identity from the certificate, as
 * for a real agent), one mTLS {@code Connect} stream through the real gRPC client ({@code
 * TlsChannels}'s transport and TLS, with the key in memory: {@link SimAgentTls}), a hello,
 * heartbeats and real {@code Evidence} messages. What makes 10,000 fit: each channel's reader is a
 * virtual thread (OkHttp transport; one TCP connection and TLS session per agent is the protocol:
 * identity is per connection), heartbeats of all agents run on one scheduler thread, and these
 * agents never pull bundles (no spoke API server, no registry client): nudges are ignored.
 */
final class LoadFleet implements AutoCloseable {
  final List<SimAgent> agents = new ArrayList<>();
  private final List<String> clusters;
  private final List<KeyPair> keys = new ArrayList<>();
  private final List<X509Certificate> certs = new ArrayList<>();
  private final List<X509Certificate> anchors;
  private final String namespace;
  private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
  private final List<java.util.concurrent.ScheduledFuture<?>> scheduled = new ArrayList<>();
  private final ScheduledExecutorService heartbeats =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("load-heartbeats").unstarted(r));

  /** Issues a key pair and client certificate for each of {@code clusters}. */
  LoadFleet(HubCa ca, String namespace, List<String> clusters) {
    this.namespace = namespace;
    this.clusters = List.copyOf(clusters);
    this.anchors = ca.trustAnchors();
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      List<Future<Issued>> fs = new ArrayList<>();
      for (String name : clusters) {
        fs.add(
            pool.submit(
                () -> {
                  KeyPair kp = HubCa.newKeyPair();
                  return new Issued(
                      kp,
                      ca.issueClient(
                          new ClusterId(namespace, name), kp.getPublic(), Duration.ofDays(1)));
                }));
      }
      for (Future<Issued> f : fs) {
        Issued issued = f.get();
        keys.add(issued.keys());
        certs.add(issued.cert());
      }
    } catch (Exception e) {
      close();
      throw new IllegalStateException("issuing the load agents' certificates failed: " + e, e);
    }
  }

  private record Issued(KeyPair keys, X509Certificate cert) {}

  /**
   * Builds every agent's channel to the gateway on {@code port} (TLS context, no connection yet)
   * and returns the seconds it took: the generator's client set-up.
   */
  double prepare(int port) {
    long t0 = System.nanoTime();
    for (int i = 0; i < clusters.size(); i++) {
      String name = clusters.get(i);
      SimAgent a =
          new SimAgent(
              namespace,
              name,
              BundleRepository.of("kapro", namespace, name),
              port,
              keys.get(i),
              certs.get(i),
              anchors,
              null,
              null,
              null,
              work);
      a.ignoreNudges(true);
      agents.add(a);
    }
    return Stats.round((System.nanoTime() - t0) / 1e9);
  }

  /**
   * Opens every prepared agent's stream and says hello, with at most {@code inFlight} connections
   * being set up at a time (a fleet reconnecting with jitter, not 10,000 handshakes in one burst
   * that would time out and back off); each agent heartbeats every {@code heartbeat} from its hello
   * on, as the agent does ({@code null}: no heartbeats).
   */
  void connect(int inFlight, Duration heartbeat) throws InterruptedException {
    java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(inFlight);
    for (SimAgent a : agents) {
      permits.acquire();
      a.connect();
      a.whenConnectedOrFailed(permits::release);
      if (heartbeat != null) {
        scheduled.add(
            heartbeats.scheduleAtFixedRate(
                a::heartbeat, heartbeat.toNanos(), heartbeat.toNanos(), TimeUnit.NANOSECONDS));
      }
    }
  }

  /** Closes every agent's stream and channel (certificates and keys are kept for a reconnect). */
  void disconnect() {
    scheduled.forEach(f -> f.cancel(false));
    scheduled.clear();
    agents.forEach(SimAgent::close);
    agents.clear();
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
    disconnect();
    work.close();
  }
}
