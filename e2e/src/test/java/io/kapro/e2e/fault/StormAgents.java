package io.kapro.e2e.fault;

import io.kapro.agent.Agent;
import io.kapro.agent.evidence.FileOutbox;
import io.kapro.agent.link.AgentStateSource;
import io.kapro.agent.link.HubClient;
import io.kapro.agent.link.HubClientOptions;
import io.kapro.agent.link.HubListener;
import io.kapro.agent.tls.AgentCredentials;
import io.kapro.agent.tls.TlsChannels;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.Evidence;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.ca.HubCa;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Many agents' links in one process: each is the agent's real {@link HubClient} (real mTLS with its
 * own client certificate from the hub CA, the standard jittered backoff, an outbox) without the
 * rest of the agent. Records every accepted hello with its time.
 */
final class StormAgents implements AutoCloseable {
  /** One accepted hello. */
  record Hello(int agent, Instant at) {}

  final List<ClusterId> ids = new ArrayList<>();
  final List<FileOutbox> outboxes = new ArrayList<>();
  final List<HubClient> clients = new ArrayList<>();
  final ConcurrentLinkedQueue<Hello> hellos = new ConcurrentLinkedQueue<>();

  /** Streams that ended, by status code and description (what the agents saw go wrong). */
  final java.util.Map<String, java.util.concurrent.atomic.AtomicLong> ended =
      new java.util.concurrent.ConcurrentHashMap<>();

  StormAgents(HubCa ca, int n, int gatewayPort, java.nio.file.Path outboxDir) {
    this(ca, n, gatewayPort, outboxDir, "storm");
  }

  StormAgents(HubCa ca, int n, int gatewayPort, java.nio.file.Path outboxDir, String namespace) {
    AgentStateSource nothingApplied =
        new AgentStateSource() {
          @Override
          public long lastAppliedSequence() {
            return 0;
          }

          @Override
          public String lastAppliedDigest() {
            return "";
          }

          @Override
          public List<AgentMessage> currentState() {
            return List.of();
          }
        };
    TlsChannels channels = new TlsChannels("127.0.0.1", gatewayPort, null);
    for (int i = 0; i < n; i++) {
      ClusterId id = new ClusterId(namespace, String.format("edge-%04d", i));
      KeyPair kp = HubCa.newKeyPair();
      AgentCredentials creds =
          new AgentCredentials(
              kp.getPrivate(),
              List.of(ca.issueClient(id, kp.getPublic(), Duration.ofDays(1))),
              ca.trustAnchors());
      int index = i;
      FileOutbox outbox = FileOutbox.open(outboxDir.resolve(id.name()));
      HubClient client =
          new HubClient(
              () -> channels.mutual(creds),
              outbox,
              nothingApplied,
              new HubListener() {
                @Override
                public void onBundleAvailable(long sequence, String digest) {}

                @Override
                public void onConnected() {
                  hellos.add(new Hello(index, Instant.now()));
                }

                @Override
                public void onDisconnected(io.grpc.Status status) {
                  Throwable root = status.getCause();
                  while (root != null && root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                  }
                  String why =
                      status.getCode()
                          + (root == null
                              ? " " + status.getDescription()
                              : " " + root.getClass().getSimpleName() + ": " + root.getMessage());
                  ended
                      .computeIfAbsent(why, k -> new java.util.concurrent.atomic.AtomicLong())
                      .incrementAndGet();
                }
              },
              HubClientOptions.defaults(Agent.VERSION, List.of("flux")));
      ids.add(id);
      outboxes.add(outbox);
      clients.add(client);
    }
  }

  void start() {
    clients.forEach(HubClient::start);
  }

  long connected() {
    return clients.stream().filter(HubClient::connected).count();
  }

  /** Every agent reports one evidence item (written to its outbox first, sent when connected). */
  void report(long sequence) {
    for (HubClient c : clients) {
      c.report(
          AgentMessage.newBuilder()
              .setEvidence(Evidence.newBuilder().setBundleSequence(sequence))
              .build());
    }
  }

  @Override
  public void close() {
    clients.forEach(HubClient::close);
    outboxes.forEach(FileOutbox::close);
  }
}
