package io.kapro.cli.certs;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.CertificateInfo;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.cli.Cli;
import io.kapro.cli.Fleets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 item 9: {@code kapro certs revoke} appends to {@code status.revokedSerials} in the one
 * serial format (hex, as {@code status.certificate.serial} and the gateway's parser use), keeping
 * what others revoked.
 */
class RevokeCommandTest {
  static LocalKubeApi api;
  static Cli cli;

  @BeforeAll
  static void start() {
    api = LocalKubeApi.start();
    cli = new Cli(api);
    Fleets.cluster(api.client(), "web", "edge-9", "prod", null, false);
    Cluster c =
        api.client().resources(Cluster.class).inNamespace(Fleets.NS).withName("edge-9").get();
    if (c.getStatus() == null) {
      c.setStatus(new io.kapro.api.v1alpha2.ClusterStatus());
    }
    CertificateInfo cert = new CertificateInfo();
    cert.setSerial("3EE");
    c.getStatus().setCertificate(cert);
    api.client().resource(c).updateStatus();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private java.util.List<String> revoked() {
    return api.client()
        .resources(Cluster.class)
        .inNamespace("default")
        .withName("edge-9")
        .get()
        .getStatus()
        .getRevokedSerials();
  }

  @Test
  void revokesTheCurrentCertificateThenAppendsAnotherSerialInHexKeepingBoth() {
    Cli.Result r = cli.run("certs", "revoke", "edge-9");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("revoked certificate 3ee of cluster default/edge-9");
    // a serial that looks decimal is read as hex, the documented format, so no silent mismatch
    r = cli.run("certs", "revoke", "edge-9", "--serial", "0x10:00");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(revoked()).containsExactly("3ee", "1000");
    r = cli.run("certs", "revoke", "edge-9", "--serial", "03EE");
    assertThat(r.out()).contains("already revoked");
    assertThat(revoked()).containsExactly("3ee", "1000");
  }

  @Test
  void refusesASerialThatIsNotHex() {
    Cli.Result r = cli.run("certs", "revoke", "edge-9", "--serial", "12g4");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("--serial '12g4' is not a hexadecimal serial number");
  }
}
