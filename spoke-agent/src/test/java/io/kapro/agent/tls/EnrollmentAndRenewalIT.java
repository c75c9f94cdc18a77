package io.kapro.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kapro.agent.link.AgentStateSource;
import io.kapro.agent.link.Backoff;
import io.kapro.agent.link.HubClient;
import io.kapro.agent.link.HubClientOptions;
import io.kapro.agent.testing.FakeHub;
import io.kapro.agent.testing.InMemoryOutbox;
import io.kapro.agent.testing.MutableClock;
import io.kapro.agent.v1.AgentMessage;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** First start with a token, renewal at two thirds, and the next stream on the new certificate. */
class EnrollmentAndRenewalIT {
  @TempDir Path state;
  private FakeHub hub;
  private TlsChannels channels;
  private final MutableClock clock = new MutableClock(Instant.now());

  @BeforeEach
  void setUp() throws Exception {
    hub = new FakeHub();
    channels = new TlsChannels("127.0.0.1", hub.port(), null);
  }

  @AfterEach
  void tearDown() throws Exception {
    hub.close();
  }

  private CredentialManager manager() {
    return new CredentialManager(new FileCredentialStore(state), channels, clock, "0.1.0");
  }

  @Test
  void enrollsOnceAndLoadsFromTheStateDirectoryAfterARestart() throws Exception {
    hub.tokens.add("kbt_once");
    AgentCredentials enrolled =
        manager().start(Optional.of("kbt_once"), List.of(hub.ca.certificate));
    assertThat(enrolled.identity()).isEqualTo(FakeHub.IDENTITY);
    Path file = state.resolve("tls/credentials.pem");
    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    // A restart: the token is spent, the stored credentials are used.
    AgentCredentials loaded = manager().start(Optional.of("kbt_once"), List.of(hub.ca.certificate));
    assertThat(loaded.serial()).isEqualTo(enrolled.serial());
  }

  @Test
  void aCertificateForAnotherClusterIsRefusedNamingBoth() {
    hub.tokens.add("kbt_other");
    CredentialManager m = manager();
    m.start(Optional.of("kbt_other"), List.of(hub.ca.certificate));
    m.requireIdentity(FakeHub.IDENTITY); // the configured cluster: fine
    assertThatThrownBy(() -> m.requireIdentity("spiffe://kapro/ns/team-a/cluster/edge-2"))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("spiffe://kapro/ns/team-a/cluster/edge-2")
        .hasMessageContaining(FakeHub.IDENTITY)
        .hasMessageContaining(state.toString())
        .extracting(e -> ((TlsException) e).reason())
        .isEqualTo(TlsException.Reason.IDENTITY_MISMATCH);
  }

  @Test
  void noCredentialsAndNoTokenTellsWhatToDo() {
    assertThatThrownBy(() -> manager().start(Optional.empty(), List.of(hub.ca.certificate)))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("KAPRO_BOOTSTRAP_TOKEN")
        .extracting(e -> ((TlsException) e).reason())
        .isEqualTo(TlsException.Reason.NOT_ENROLLED);
  }

  @Test
  void aRefusedTokenIsReportedWithTheHubsReason() {
    assertThatThrownBy(() -> manager().start(Optional.of("kbt_wrong"), List.of(hub.ca.certificate)))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("UNAUTHENTICATED")
        .extracting(e -> ((TlsException) e).reason())
        .isEqualTo(TlsException.Reason.ENROLLMENT_REFUSED);
    assertThat(Files.exists(state.resolve("tls/credentials.pem"))).isFalse();
  }

  @Test
  void renewsAtTwoThirdsAndTheNextStreamUsesTheNewCertificate() throws Exception {
    hub.tokens.add("kbt_renew");
    CredentialManager credentials = manager();
    AgentCredentials first =
        credentials.start(Optional.of("kbt_renew"), List.of(hub.ca.certificate));
    InMemoryOutbox outbox = new InMemoryOutbox();
    AgentStateSource nothing =
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
    try (HubClient client =
        new HubClient(
            () -> channels.mutual(credentials.current()),
            outbox,
            nothing,
            (seq, digest) -> {},
            new HubClientOptions(
                "0.1.0",
                List.of(),
                new Backoff(Duration.ofMillis(10), Duration.ofMillis(100), new SplittableRandom(3)),
                Duration.ofSeconds(30),
                clock))) {
      credentials.addListener(c -> client.reconnect());
      client.start();
      await().until(() -> hub.streamSerials.size() == 1);
      assertThat(hub.streamSerials.get(0)).isEqualTo(first.serial());

      clock.advance(Duration.ofDays(19)); // 30-day certificate: not due before day 20
      assertThat(credentials.renewIfDue()).isFalse();
      clock.advance(Duration.ofDays(1).plusMinutes(1));
      assertThat(credentials.renewIfDue()).isTrue();

      BigInteger renewed = credentials.current().serial();
      assertThat(renewed).isNotEqualTo(first.serial());
      await().until(() -> hub.streamSerials.size() == 2);
      assertThat(hub.streamSerials.get(1)).isEqualTo(renewed);
      assertThat(credentials.current().identity()).isEqualTo(FakeHub.IDENTITY);
    }
    // And the renewed credentials were stored.
    assertThat(new FileCredentialStore(state).load().orElseThrow().serial())
        .isEqualTo(credentials.current().serial());
  }
}
