package io.kapro.hub.gateway;

import static io.kapro.hub.gateway.GatewayFixture.A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A new server certificate is served to new connections without a restart. */
class ServerCertificateReloadIT {
  // Starts two days in the past so that after moving the clock to "now" every certificate is
  // valid for the client, which checks against real time.
  private final GatewayFixture hub =
      new GatewayFixture(java.time.Instant.now().minus(Duration.ofDays(2).plusMinutes(2)));

  @AfterEach
  void close() throws Exception {
    hub.close();
  }

  private BigInteger servedSerial() throws Exception {
    RecordingTrustManager trust = new RecordingTrustManager(hub.ca.certificate());
    TestStream s =
        TestStream.open(hub.channel(hub.credentialsFor(A), trust)).send(TestStream.hello("0.1.0"));
    await().until(s::hasSettings);
    s.complete();
    return trust.lastServerCertificate.get().getSerialNumber();
  }

  @Test
  void rotationTakesEffectForNewConnections() throws Exception {
    BigInteger before = servedSerial();
    assertThat(before).isEqualTo(hub.gateway.serverIdentity().current().getSerialNumber());

    X509Certificate rotated = hub.gateway.serverIdentity().rotate();

    assertThat(servedSerial()).isEqualTo(rotated.getSerialNumber()).isNotEqualTo(before);
  }

  @Test
  void rotatesByItselfAtTwoThirdsOfItsLifetime() throws Exception {
    BigInteger before = servedSerial();
    assertThat(hub.gateway.serverIdentity().rotateIfDue()).isFalse();
    hub.clock.advance(Duration.ofDays(2).plusMinutes(1)); // lifetime 3 days in the fixture
    assertThat(hub.gateway.serverIdentity().rotateIfDue()).isTrue();
    assertThat(servedSerial()).isNotEqualTo(before);
  }
}
