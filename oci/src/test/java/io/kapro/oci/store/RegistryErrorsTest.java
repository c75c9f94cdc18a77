package io.kapro.oci.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.oci.OciException.Reason;
import java.net.ConnectException;
import javax.net.ssl.SSLHandshakeException;
import land.oras.exception.OrasException;
import org.junit.jupiter.api.Test;

class RegistryErrorsTest {
  static final RegistryConfig CFG =
      new RegistryConfig(
          "reg.example:5000", false, new RegistryConfig.Credentials.Basic("bot", "pw"), null);

  @Test
  void statusCodesMapToReasonsAndRetryability() {
    assertThat(
            RegistryErrors.translate(CFG, "push", new OrasException(401, "unauthorized")).reason())
        .isEqualTo(Reason.AUTH_FAILED);
    assertThat(RegistryErrors.translate(CFG, "push", new OrasException(403, "denied")).reason())
        .isEqualTo(Reason.FORBIDDEN);
    assertThat(RegistryErrors.translate(CFG, "push", new OrasException(404, "nope")).reason())
        .isEqualTo(Reason.NOT_FOUND);
    assertThat(
            RegistryErrors.translate(CFG, "push", new OrasException(429, "slow down"))
                .isRetryable())
        .isTrue();
    assertThat(RegistryErrors.translate(CFG, "push", new OrasException(503, "busy")).isRetryable())
        .isTrue();
    assertThat(RegistryErrors.translate(CFG, "push", new OrasException(400, "bad")).reason())
        .isEqualTo(Reason.PROTOCOL_ERROR);
    assertThat(RegistryErrors.translate(CFG, "push", new OrasException(400, "bad")).isRetryable())
        .isFalse();
  }

  @Test
  void messagesNameRegistryOperationAndWhatToCheck() {
    String auth =
        RegistryErrors.translate(CFG, "push blob sha256:ab to kapro/x", new OrasException(401, "x"))
            .getMessage();
    assertThat(auth)
        .contains("https://reg.example:5000")
        .contains("push blob sha256:ab to kapro/x")
        .contains("Basic[bot]")
        .doesNotContain("pw");
    String tls =
        RegistryErrors.translate(
                CFG,
                "resolve",
                new OrasException("io", new SSLHandshakeException("PKIX path building failed")))
            .getMessage();
    assertThat(tls).contains("TLS").contains("CA");
    var net =
        RegistryErrors.translate(
            CFG, "resolve", new OrasException("io", new ConnectException("Connection refused")));
    assertThat(net.reason()).isEqualTo(Reason.UNREACHABLE);
    assertThat(net.getMessage()).contains("host and port");
  }

  @Test
  void plainHttpNeedsToBeAskedFor() {
    assertThat(RegistryConfig.parse("http://127.0.0.1:5000", true, null, null).plainHttp())
        .isTrue();
    assertThat(RegistryConfig.parse("reg.example", false, null, null).baseUrl())
        .isEqualTo("https://reg.example");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RegistryConfig.parse("http://127.0.0.1:5000", false, null, null))
        .hasMessageContaining("insecure");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RegistryConfig.parse("https://reg/path", false, null, null))
        .hasMessageContaining("path");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RegistryConfig.parse("ftp://reg", false, null, null))
        .hasMessageContaining("scheme");
  }

  @Test
  void aChannelClosedDuringSetUpOfAnHttpsRegistryAlsoNamesTheCa() {
    // the JDK's HTTP client at times reports an aborted TLS handshake as a closed channel only
    var https =
        RegistryErrors.translate(
            CFG,
            "probe",
            new java.io.UncheckedIOException(
                new java.io.IOException(new java.nio.channels.ClosedChannelException())));
    assertThat(https.reason()).isEqualTo(Reason.UNREACHABLE);
    assertThat(https.getMessage()).contains("cannot connect", "TLS handshake", "--ca-file");
    var plain =
        RegistryErrors.translate(
            RegistryConfig.plainHttp("reg.example:5000"),
            "probe",
            new java.io.UncheckedIOException(
                new java.io.IOException(new java.nio.channels.ClosedChannelException())));
    assertThat(plain.getMessage()).contains("cannot connect").doesNotContain("TLS");
  }
}
