package io.kapro.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.agent.testing.TestCa;
import io.kapro.oci.sign.Csrs;
import io.kapro.oci.sign.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCredentialStoreTest {
  @TempDir Path state;

  static AgentCredentials credentials(TestCa ca) throws Exception {
    KeyPair pair = Csrs.newKeyPair();
    X509Certificate cert =
        ca.client(
            Csrs.csr(pair),
            "spiffe://kapro/ns/a/cluster/b",
            Clock.systemUTC(),
            Duration.ofDays(30));
    return new AgentCredentials(
        pair.getPrivate(), List.of(cert, ca.certificate), List.of(ca.certificate));
  }

  @Test
  void roundTrips() throws Exception {
    TestCa ca = new TestCa();
    AgentCredentials c = credentials(ca);
    FileCredentialStore store = new FileCredentialStore(state);
    assertThat(store.load()).isEmpty();
    store.save(c);
    AgentCredentials back = store.load().orElseThrow();
    assertThat(back.serial()).isEqualTo(c.serial());
    assertThat(back.key()).isEqualTo(c.key());
    assertThat(back.trustAnchors()).containsExactly(ca.certificate);
    assertThat(back.identity()).isEqualTo("spiffe://kapro/ns/a/cluster/b");
    assertThat(back.renewAt())
        .isBetween(
            back.leaf().getNotBefore().toInstant().plus(Duration.ofDays(20)).minusSeconds(1),
            back.leaf().getNotBefore().toInstant().plus(Duration.ofDays(20)).plusSeconds(1));
  }

  @Test
  void corruptOrMismatchedFilesAreReportedWithTheFix() throws Exception {
    TestCa ca = new TestCa();
    FileCredentialStore store = new FileCredentialStore(state);
    store.save(credentials(ca));
    Path creds = state.resolve("tls/credentials.pem");

    Files.writeString(creds, "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(store::load)
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("credentials.pem");

    Files.writeString(creds, "");
    assertThatThrownBy(store::load)
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("enroll again");

    // Key of one credential set with the certificate of another.
    AgentCredentials a = credentials(ca);
    AgentCredentials b = credentials(ca);
    Files.writeString(creds, new String(Pem.privateKeyPem(a.key()) + Pem.certificates(b.chain())));
    assertThatThrownBy(store::load)
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("does not belong to the certificate");
  }

  @Test
  void mirroredStoreRestoresFromTheCopyThatIsValidLongest() throws Exception {
    TestCa ca = new TestCa();
    FileCredentialStore one = new FileCredentialStore(state.resolve("one"));
    FileCredentialStore two = new FileCredentialStore(state.resolve("two"));
    AgentCredentials c = credentials(ca);
    two.save(c);
    Files.createDirectories(state.resolve("one/tls"));
    Files.writeString(state.resolve("one/tls/credentials.pem"), "garbage");
    assertThat(new MirroredCredentialStore(List.of(one, two)).load().orElseThrow().serial())
        .isEqualTo(c.serial());
  }
}
