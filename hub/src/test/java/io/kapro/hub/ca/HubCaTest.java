package io.kapro.hub.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.agent.testing.MutableClock;
import io.kapro.hub.link.LinkException;
import io.kapro.oci.sign.Pem;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HubCaTest {
  private final MutableClock clock = MutableClock.now();
  private final InMemoryCaStore store = new InMemoryCaStore();
  private final HubCa ca = HubCa.loadOrCreate(store, clock);
  private final ClusterId cluster = new ClusterId("team-a", "edge-1");

  @Test
  void isCreatedOnceAndLoadedAfterwards() {
    HubCa again = HubCa.loadOrCreate(store, clock);
    assertThat(again.certificate()).isEqualTo(ca.certificate());
    assertThat(ca.certificate().getBasicConstraints()).isZero();
  }

  @Test
  void secondReplicaLosingTheRaceLoadsTheWinner() {
    CaMaterial other = HubCa.generate(clock);
    assertThat(store.saveIfAbsent(other).certificate()).isEqualTo(ca.certificate());
  }

  @Test
  void clientCertificateCarriesTheIdentityAndClientAuth() throws Exception {
    KeyPair pair = TestKeys.ec();
    X509Certificate cert =
        ca.issueClient(cluster, TestKeys.csr(pair), HubCa.DEFAULT_CLIENT_LIFETIME);

    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(cert.getSubjectAlternativeNames())
        .containsExactly(List.of(6, "spiffe://kapro/ns/team-a/cluster/edge-1"));
    assertThat(cert.getPublicKey()).isEqualTo(pair.getPublic());
    assertThat(Duration.between(clock.instant(), cert.getNotAfter().toInstant()))
        .isBetween(Duration.ofDays(30).minusSeconds(1), Duration.ofDays(30));
    assertThat(ca.verifyClient(cert)).isEqualTo(cluster);
  }

  @Test
  void serverCertificateNamesLoopbackAndConfiguredHosts() throws Exception {
    X509Certificate cert =
        ca.issueServer(TestKeys.ec().getPublic(), List.of("hub.example"), Duration.ofDays(1));
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(cert.getSubjectAlternativeNames())
        .contains(List.of(7, "127.0.0.1"), List.of(2, "localhost"), List.of(2, "hub.example"));
  }

  @Test
  void serverCertificateRefusesABadHostName() {
    assertThatThrownBy(
            () ->
                ca.issueServer(TestKeys.ec().getPublic(), List.of("bad host/"), Duration.ofDays(1)))
        .isInstanceOf(LinkException.class)
        .hasMessageContaining("dnsNames");
  }

  @Test
  void certificateOfAnotherCaIsUntrusted() throws Exception {
    HubCa other = HubCa.of(HubCa.generate(clock), clock);
    X509Certificate foreign =
        other.issueClient(cluster, TestKeys.ec().getPublic(), Duration.ofDays(1));
    assertThatThrownBy(() -> ca.verifyClient(foreign))
        .isInstanceOf(LinkException.class)
        .extracting(e -> ((LinkException) e).reason())
        .isEqualTo(LinkException.Reason.UNTRUSTED_CERTIFICATE);
  }

  @Test
  void expiredCertificateIsRefused() throws Exception {
    X509Certificate cert = ca.issueClient(cluster, TestKeys.ec().getPublic(), Duration.ofDays(1));
    clock.advance(Duration.ofDays(2));
    assertThatThrownBy(() -> ca.verifyClient(cert))
        .isInstanceOf(LinkException.class)
        .extracting(e -> ((LinkException) e).reason())
        .isEqualTo(LinkException.Reason.CERTIFICATE_EXPIRED);
  }

  @Test
  void serverCertificateIsNotAClientCertificate() {
    X509Certificate server =
        ca.issueServer(TestKeys.ec().getPublic(), List.of(), Duration.ofDays(1));
    assertThatThrownBy(() -> ca.verifyClient(server))
        .isInstanceOf(LinkException.class)
        .extracting(e -> ((LinkException) e).reason())
        .isEqualTo(LinkException.Reason.UNTRUSTED_CERTIFICATE);
  }

  @Test
  void hostileCsrsAreRefusedNamingTheField() throws Exception {
    KeyPair pair = TestKeys.ec();
    KeyPair other = TestKeys.ec();
    List<byte[]> hostile =
        List.of(
            new byte[0],
            new byte[] {0x30, 0x03, 0x02, 0x01},
            "not a csr".getBytes(),
            new byte[Csr.MAX_BYTES + 1],
            TestKeys.csr(pair, other.getPrivate(), "SHA256withECDSA"),
            TestKeys.csr(TestKeys.rsa(), TestKeys.rsa().getPrivate(), "SHA256withRSA"),
            TestKeys.csr(TestKeys.ecP384()));
    for (byte[] csr : hostile) {
      assertThatThrownBy(() -> ca.issueClient(cluster, csr, Duration.ofDays(1)))
          .isInstanceOf(LinkException.class)
          .hasMessageContaining("csr_der")
          .extracting(e -> ((LinkException) e).reason())
          .isEqualTo(LinkException.Reason.INVALID_CSR);
    }
  }

  @Test
  void lifetimeMustBePositive() throws Exception {
    byte[] csr = TestKeys.csr(TestKeys.ec());
    assertThatThrownBy(() -> ca.issueClient(cluster, csr, Duration.ZERO))
        .isInstanceOf(LinkException.class)
        .hasMessageContaining("lifetime");
  }

  @Test
  void pemRoundTrips() {
    CaMaterial m = store.load().orElseThrow();
    String certs = Pem.certificates(List.of(m.certificate()));
    String key = Pem.privateKeyPem(m.privateKey());
    assertThat(key).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Pem.readCertificates(certs, "tls.crt")).containsExactly(m.certificate());
    assertThat(Pem.readPrivateKey(key, "tls.key")).isEqualTo(m.privateKey());
    assertThatThrownBy(() -> Pem.readCertificates("garbage", "tls.crt"))
        .isInstanceOf(io.kapro.oci.OciException.class)
        .hasMessageContaining("tls.crt");
    assertThatThrownBy(() -> Pem.readPrivateKey(certs, "tls.key"))
        .isInstanceOf(io.kapro.oci.OciException.class)
        .hasMessageContaining("tls.key");
  }
}
