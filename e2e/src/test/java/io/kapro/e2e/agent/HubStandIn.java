package io.kapro.e2e.agent;

import io.kapro.hub.ca.BootstrapTokens;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.ca.HubCa;
import io.kapro.hub.ca.InMemoryCaStore;
import io.kapro.hub.ca.InMemoryTokenStore;
import io.kapro.hub.cluster.connectivity.ConnectivityTracker;
import io.kapro.hub.gateway.ClusterEntry;
import io.kapro.hub.gateway.Gateway;
import io.kapro.hub.gateway.InMemoryClusterDirectory;
import io.kapro.hub.gateway.LinkSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * The real hub gateway (real CA, real single-use bootstrap tokens, real mTLS) with in-memory
 * cluster directory and a {@link RecordingSink}; can be stopped and started again on the same port.
 */
final class HubStandIn implements AutoCloseable {
  static final ClusterId CLUSTER = new ClusterId("team-a", "edge-1");

  final HubCa ca = HubCa.loadOrCreate(new InMemoryCaStore(), Clock.systemUTC());
  final BootstrapTokens tokens = new BootstrapTokens(new InMemoryTokenStore(), Clock.systemUTC());
  final InMemoryClusterDirectory directory = new InMemoryClusterDirectory();
  final RecordingSink sink = new RecordingSink();
  final Duration heartbeat;
  ConnectivityTracker connectivity;
  Gateway gateway;
  private int port;

  HubStandIn(Duration heartbeat) {
    this.heartbeat = heartbeat;
    directory.put(
        new ClusterEntry(
            CLUSTER,
            Set.of(),
            new LinkSettings(heartbeat, Duration.ofSeconds(30)),
            Optional.empty()));
    start();
  }

  void start() {
    connectivity = new ConnectivityTracker(Clock.systemUTC());
    gateway =
        Gateway.builder()
            .ca(ca)
            .tokens(tokens)
            .directory(directory)
            .sink(sink)
            .connectivity(connectivity)
            .bind("127.0.0.1", port)
            .start();
    port = gateway.port();
  }

  void stop() {
    gateway.close();
  }

  int port() {
    return port;
  }

  /** The CA certificate as PEM, for the agent's {@code hub.caFile}. */
  Path writeCa(Path file) throws IOException {
    try {
      String b64 =
          Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(ca.certificate().getEncoded());
      return Files.writeString(
          file, "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n");
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IOException(e);
    }
  }

  String token() {
    return tokens.issue(CLUSTER, Duration.ofMinutes(10));
  }

  @Override
  public void close() {
    gateway.close();
  }
}
