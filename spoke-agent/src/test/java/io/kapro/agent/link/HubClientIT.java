package io.kapro.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kapro.agent.testing.FakeHub;
import io.kapro.agent.testing.InMemoryOutbox;
import io.kapro.agent.tls.CredentialManager;
import io.kapro.agent.tls.FileCredentialStore;
import io.kapro.agent.tls.TlsChannels;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.Evidence;
import io.kapro.agent.v1.UnitEvidence;
import io.kapro.agent.v1.UnitPhase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's link over real TLS 1.3 against a stand-in gateway. */
class HubClientIT {
  @TempDir Path state;
  private FakeHub hub;
  private HubClient client;
  private final InMemoryOutbox outbox = new InMemoryOutbox();
  private final List<String> nudges = new CopyOnWriteArrayList<>();
  private final List<AgentMessage> resyncState = new CopyOnWriteArrayList<>();
  private TlsChannels channels;
  private CredentialManager credentials;

  @BeforeEach
  void setUp() throws Exception {
    hub = new FakeHub();
    hub.tokens.add("kbt_test");
    channels = new TlsChannels("127.0.0.1", hub.port(), null);
    credentials =
        new CredentialManager(new FileCredentialStore(state), channels, Clock.systemUTC(), "0.1.0");
    credentials.start(Optional.of("kbt_test"), List.of(hub.ca.certificate));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (client != null) {
      client.close();
    }
    hub.close();
  }

  private static AgentMessage evidence(String revision) {
    return AgentMessage.newBuilder()
        .setEvidence(
            Evidence.newBuilder()
                .setBundleSequence(3)
                .setBundleDigest("sha256:" + "c".repeat(64))
                .addUnits(
                    UnitEvidence.newBuilder()
                        .setUnit("podinfo")
                        .setPhase(UnitPhase.UNIT_PHASE_CONVERGED)
                        .setObservedRevision(revision)))
        .build();
  }

  private HubClient client(Backoff backoff) {
    AgentStateSource source =
        new AgentStateSource() {
          @Override
          public long lastAppliedSequence() {
            return 3;
          }

          @Override
          public String lastAppliedDigest() {
            return "sha256:" + "c".repeat(64);
          }

          @Override
          public List<AgentMessage> currentState() {
            return List.copyOf(resyncState);
          }
        };
    HubListener listener = (sequence, digest) -> nudges.add(sequence + "@" + digest);
    HubClientOptions options =
        new HubClientOptions(
            "0.1.0", List.of("flux", "argocd"), backoff, Duration.ofSeconds(30), Clock.systemUTC());
    return new HubClient(
        () -> channels.mutual(credentials.current()), outbox, source, listener, options);
  }

  @Test
  void helloThenResyncThenPendingOutboxAndAcksDropItems() {
    outbox.append(evidence("queued-1"));
    outbox.append(evidence("queued-2"));
    resyncState.add(evidence("current"));
    client = client(Backoff.standard());
    client.start();

    await().until(() -> hub.evidence.size() == 3);
    var hello = hub.hellos.get(0);
    assertThat(hello.getAgentVersion()).isEqualTo("0.1.0");
    assertThat(hello.getLastAppliedSequence()).isEqualTo(3);
    assertThat(hello.getLastAppliedDigest()).isEqualTo("sha256:" + "c".repeat(64));
    assertThat(hello.getCapabilitiesList()).containsExactly("flux", "argocd");
    assertThat(hello.getLastEvidenceNumber()).isEqualTo(2);
    assertThat(hub.evidence)
        .extracting(m -> m.getEvidence().getUnits(0).getObservedRevision())
        .containsExactly("queued-1", "queued-2", "current");
    assertThat(hub.evidence.get(2).getEvidence().getResync()).isTrue();
    assertThat(hub.evidence)
        .extracting(m -> m.getEvidence().getNumber())
        .containsExactly(1L, 2L, 3L);
    await().until(() -> outbox.depth() == 0);

    AgentMessage reported = client.report(evidence("new"));
    assertThat(reported.getEvidence().getNumber()).isEqualTo(4);
    await().until(() -> hub.evidence.size() == 4 && outbox.depth() == 0);
    assertThat(client.connected()).isTrue();
  }

  @Test
  void nudgesReachTheCallback() {
    client = client(Backoff.standard());
    client.start();
    await().until(() -> hub.hellos.size() == 1 && client.connected());
    hub.nudge(9, "sha256:" + "d".repeat(64));
    await().atMost(Duration.ofSeconds(1)).until(() -> nudges.size() == 1);
    assertThat(nudges).containsExactly("9@sha256:" + "d".repeat(64));
  }

  @Test
  void heartbeatsFollowTheHubsInterval() {
    hub.heartbeatSeconds = 1;
    client = client(Backoff.standard());
    client.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.heartbeats.get() >= 2);
  }

  @Test
  void unackedEvidenceIsResentAfterTheStreamIsCut() {
    hub.ack = false;
    client =
        client(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100), new SplittableRandom(1)));
    client.start();
    await().until(client::connected);
    client.report(evidence("one"));
    client.report(evidence("two"));
    await().until(() -> hub.evidence.size() == 2);
    assertThat(outbox.depth()).isEqualTo(2);

    hub.ack = true;
    hub.killStreams();

    await().until(() -> hub.hellos.size() == 2 && outbox.depth() == 0);
    assertThat(hub.evidence)
        .extracting(m -> m.getEvidence().getNumber())
        .containsExactly(1L, 2L, 1L, 2L);
  }

  @Test
  void keepsRetryingUntilTheHubComesBack() throws Exception {
    int port = hub.port();
    hub.close();
    Backoff backoff =
        new Backoff(Duration.ofMillis(10), Duration.ofMillis(200), new SplittableRandom(7));
    client = client(backoff);
    client.report(evidence("while-down"));
    client.start();
    await().until(() -> backoff.attempts() >= 3);
    assertThat(client.connected()).isFalse();

    hub = new FakeHub(hub.ca, port);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> hub.evidence.size() == 1 && client.connected());
    assertThat(hub.evidence.get(0).getEvidence().getUnits(0).getObservedRevision())
        .isEqualTo("while-down");
    assertThat(backoff.attempts()).as("a session the hub accepted resets the backoff").isZero();
  }
}
