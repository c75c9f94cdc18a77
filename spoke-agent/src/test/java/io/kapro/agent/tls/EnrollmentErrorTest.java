package io.kapro.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.security.cert.CertificateNotYetValidException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** An enrollment that fails in the TLS handshake says why, and points at clocks when it is them. */
class EnrollmentErrorTest {

  @Test
  void aHubCertificateNotYetValidNamesTheCauseAndTheClocks() {
    SSLHandshakeException tls = new SSLHandshakeException("PKIX path validation failed");
    tls.initCause(new CertificateNotYetValidException("NotBefore: Sun Nov 22 03:10:00 UTC 2026"));
    String text =
        CredentialManager.rootCause(
            Status.UNAVAILABLE.withDescription("io exception").withCause(tls).asRuntimeException());
    assertThat(text)
        .contains("CertificateNotYetValidException: NotBefore: Sun Nov 22 03:10:00 UTC 2026")
        .contains("check that the clocks of hub and agent agree");
  }

  @Test
  void anotherCauseIsNamedWithoutTheClockHint() {
    String text =
        CredentialManager.rootCause(
            Status.UNAVAILABLE
                .withCause(new java.net.ConnectException("Connection refused"))
                .asRuntimeException());
    assertThat(text).isEqualTo(" (cause: ConnectException: Connection refused)");
  }

  @Test
  void aStatusWithoutCauseAddsNothing() {
    assertThat(CredentialManager.rootCause(Status.PERMISSION_DENIED.asRuntimeException()))
        .isEmpty();
  }
}
