package io.kapro.oci.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kapro.oci.OciException;
import io.kapro.oci.sign.Pem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Fuzzes the PEM codec (issue 22: on the JDK with its own DER reader) with untrusted text: a
 * Secret's {@code tls.key}/{@code ca.crt}, a trusted-keys file. Invariant: the only exception is
 * {@link OciException} with reason INVALID_INPUT. {@code text} fuzzes the framing, {@code der} the
 * DER inside a well-framed block of each label the codec reads. The committed corpus under {@code
 * PemFuzzTestInputs/} runs in CI; {@code JAZZER_FUZZ=1} fuzzes.
 */
class PemFuzzTest {
  private static final String[] LABELS = {
    "PRIVATE KEY", "EC PRIVATE KEY", "PUBLIC KEY", "CERTIFICATE"
  };

  @FuzzTest(maxDuration = "60s")
  void text(byte[] data) {
    String pem = new String(data, StandardCharsets.ISO_8859_1);
    readAll(pem);
  }

  @FuzzTest(maxDuration = "60s")
  void der(byte[] data) {
    if (data.length == 0) {
      return;
    }
    String label = LABELS[(data[0] & 0xff) % LABELS.length];
    byte[] der = java.util.Arrays.copyOfRange(data, 1, data.length);
    readAll(
        "-----BEGIN "
            + label
            + "-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
            + "\n-----END "
            + label
            + "-----\n");
  }

  private static void readAll(String pem) {
    try {
      Pem.readTls(pem, "fuzz");
    } catch (OciException e) {
      assertThat(e.reason()).isEqualTo(OciException.Reason.INVALID_INPUT);
    }
    try {
      Pem.readKeyPair(pem, "fuzz");
    } catch (OciException e) {
      assertThat(e.reason()).isEqualTo(OciException.Reason.INVALID_INPUT);
    }
    try {
      Pem.readPublicKeys(pem, "fuzz");
    } catch (OciException e) {
      assertThat(e.reason()).isEqualTo(OciException.Reason.INVALID_INPUT);
    }
  }
}
